import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { type RoomDetail } from '../building/building.service.js';
import { loadRoomForContent, loadRoomOfKind } from '../rooms/load-room.js';
import { formErrors, type FieldError, type FormErrors } from '../http/forms.js';
import { insertFile } from '../files/files.service.js';
import { discardFiles, type FileRule, type Received } from '../files/uploads.js';
import { findVideo, insertVideo, setVideoStatus, updateVideo, type VideoRow } from './television.repo.js';
import { VideoFields } from './television.schemas.js';

/** What the upload form accepts: the video (size from UPLOAD_MAX_MB), a poster, WebVTT captions. */
export function videoRules(config: Config): Record<string, FileRule> {
  return {
    video: { label: 'video', maxBytes: config.uploads.maxVideoBytes, types: ['video/mp4', 'video/webm'] },
    poster: { label: 'poster image', maxBytes: 10 * 1024 * 1024, types: ['image/jpeg', 'image/png', 'image/webp'] },
    captions: { label: 'captions file', maxBytes: 1024 * 1024, types: ['text/vtt'] },
  };
}

/** @throws HttpError 404 unless the room is a television. */
export async function loadTelevisionRoom(db: Db, roomId: string): Promise<RoomDetail> {
  return loadRoomOfKind(db, roomId, 'television');
}

/**
 * A video for watching: published to anyone who may enter the room, drafts to its staff only.
 * @throws HttpError 404 / PolicyDenied.
 */
export async function watchVideo(
  db: Db,
  actor: SessionUser,
  videoId: string,
  now: Date,
): Promise<{ video: VideoRow; room: RoomDetail }> {
  const video = await findVideo(db, videoId);
  const room = await loadRoomForContent(db, actor, video && { ...video, authorId: null }, now);
  return { video: video as VideoRow, room };
}

/** A television room's videos (drafts too when asked: the admin's room page lists them all). */
export { listVideos } from './television.repo.js';

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FormErrors; status: 400 | 413 };

/** Creates (a video file is required) or edits a video from a received upload. Audited. */
export async function saveVideo(
  deps: { db: Db; config: Config },
  ctx: AuditContext,
  room: RoomDetail,
  existing: VideoRow | null,
  received: Received,
): Promise<SaveResult> {
  const { db, config } = deps;
  const fail = async (errors: FieldError[], status: 400 | 413 = 400): Promise<SaveResult> => {
    await discardFiles(config.uploads.dir, Object.values(received.files));
    return { ok: false, errors: formErrors(errors), status };
  };
  if (received.errors.length) return fail(received.errors, received.tooLarge ? 413 : 400);
  const parsed = VideoFields.safeParse(received.fields);
  if (!parsed.success)
    return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'title'), message: i.message })));
  if (!existing && !received.files.video)
    return fail([{ field: 'video', message: 'Choose a video file (MP4 or WebM)' }]);
  const id = await db.transaction(async (trx) => {
    const fileId = async (field: string) =>
      received.files[field] ? insertFile(trx, received.files[field], ctx.actorId) : undefined;
    const write = {
      ...parsed.data,
      videoFileId: await fileId('video'),
      posterFileId: await fileId('poster'),
      captionsFileId: await fileId('captions'),
    };
    const savedId = existing ? existing.id : await insertVideo(trx, room.id, write, ctx.actorId);
    if (existing) await updateVideo(trx, existing.id, write);
    await recordAudit(trx, ctx, {
      action: existing ? 'television.video.edit' : 'television.video.create',
      targetType: 'video',
      targetId: savedId,
      details: { room_id: room.id, status: parsed.data.status },
    });
    return savedId;
  });
  return { ok: true, id };
}

/** Publishes or unpublishes a video, with its audit row, in one transaction. */
export async function setVideoPublished(
  db: Db,
  ctx: AuditContext,
  id: string,
  status: 'draft' | 'published',
): Promise<void> {
  await db.transaction(async (trx) => {
    await setVideoStatus(trx, id, status);
    await recordAudit(trx, ctx, {
      action: `television.video.${status === 'published' ? 'publish' : 'unpublish'}`,
      targetType: 'video',
      targetId: id,
    });
  });
}
