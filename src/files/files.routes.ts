import { loadRoomForContent } from '../rooms/load-room.js';
import path from 'node:path';
import { Router } from 'express';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { idParam } from '../http/params.js';
import { findFile, findFileOwner } from './files.repo.js';

const INLINE = new Set(['video/mp4', 'video/webm', 'image/jpeg', 'image/png', 'image/webp', 'text/vtt']);

/**
 * GET /files/:fileId: an uploaded file, only to someone whose key opens the room it belongs to
 * (drafts: staff only). Range requests (206, Content-Range, 416) come from Express's `send`.
 * Never cached, never sniffed, PDFs always downloaded rather than shown.
 */
export function filesRoutes({ db, config }: { db: Db; config: Config }): Router {
  const r = Router();
  r.get('/files/:fileId', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const now = new Date();
    const id = idParam(req.params.fileId);
    const [file, owner] = await Promise.all([findFile(db, id), findFileOwner(db, id)]);
    // A draft's files do not exist for anyone who may not see the draft.
    const status = owner?.published ? 'published' : 'draft';
    await loadRoomForContent(db, actor, owner && { roomId: owner.roomId, status, authorId: null }, now);
    if (!file) throw notFound();
    const disposition = INLINE.has(file.mime) ? 'inline' : 'attachment';
    const safeName = file.originalName.replace(/[^\w.\- ]+/g, '_');
    res.sendFile(path.resolve(config.uploads.dir, file.storageName), {
      headers: {
        'Content-Type': file.mime === 'text/vtt' ? 'text/vtt; charset=utf-8' : file.mime,
        'Content-Disposition': `${disposition}; filename="${safeName}"`,
        'Cache-Control': 'private, no-store',
      },
      acceptRanges: true,
      cacheControl: false,
      lastModified: false,
      dotfiles: 'deny',
    });
  });
  return r;
}
