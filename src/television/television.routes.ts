import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { findRoomDetail, type RoomDetail } from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import {
  authorizeItemManagement,
  managePrefix,
  mediaRoomAbilities,
  type ManageMode,
} from '../building/manage-items.js';
import { HttpError, notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { idParam } from '../http/params.js';
import type { CsrfVerifier } from '../http/security.js';
import { canActInRoom } from '../policy/index.js';
import { receiveUpload } from '../files/uploads.js';
import { findVideo, listVideos, type VideoRow } from './television.repo.js';
import { loadTelevisionRoom, saveVideo, setVideoPublished, videoRules, watchVideo } from './television.service.js';

interface Deps {
  db: Db;
  config: Config;
  verifyCsrf: CsrfVerifier;
}

/** What an admin's edit page says after a save or a publish: what the video now is, and who sees it. */
const savedNotice = (published: boolean, roomName: string) =>
  published
    ? `Saved and published: people who can enter ${roomName} can watch it.`
    : 'Saved as a draft: only staff can see it.';

/** The television room's page, for the room route (src/rooms), which has loaded the room and let the actor enter it. */
export async function renderTelevisionRoom(
  { db }: { db: Db },
  req: Request,
  res: Response,
  room: RoomDetail,
): Promise<void> {
  const actor = actorOf(req);
  const now = new Date();
  const can = mediaRoomAbilities(actor, room, now);
  res.render('television/room', {
    title: room.name,
    room,
    kindLabel: KIND_LABELS[room.kind],
    videos: await listVideos(db, room.id, can.seeDrafts),
    can,
  });
}

/** Watching: a video page (player with captions, transcript). */
export function televisionRoutes({ db }: Deps): Router {
  const r = Router();

  r.get('/videos/:videoId', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const now = new Date();
    const { video, room } = await watchVideo(db, actor, idParam(req.params.videoId), now);
    res.render('television/video', {
      title: video.title,
      video,
      room,
      can: { manage: canActInRoom(actor, 'manage_items', room, now).allowed },
      notice: req.query.done ? 'Saved.' : undefined,
    });
  });

  return r;
}

/** Uploading and editing videos (clinicians from the room, admins from the admin pages). */
/** The forms that send a video (multipart), for both ways in. */
const uploadPaths = (prefix: string) => ({
  newVideo: `${prefix}/rooms/:roomId/videos`,
  video: `${prefix}/videos/:videoId`,
});

/** Every television route that takes a multipart body (src/http/multipart.ts refuses one anywhere else). */
export const TELEVISION_UPLOAD_PATHS: readonly string[] = (['staff', 'admin'] as const).flatMap((mode) =>
  Object.values(uploadPaths(managePrefix(mode))),
);

export function televisionEditorRoutes({ db, config, verifyCsrf }: Deps, mode: ManageMode): Router {
  const r = Router();
  const prefix = managePrefix(mode);
  const videoUrl = (id: string) => (mode === 'admin' ? `/admin/videos/${id}/edit?done=1` : `/videos/${id}?done=1`);

  const renderForm = (
    res: Response,
    status: number,
    room: RoomDetail,
    video: VideoRow | null,
    values: Record<string, string>,
    errors: FormErrors,
  ) =>
    res.status(status).render('television/form', {
      title: video ? `Edit ${video.title}` : `Upload a video to ${room.name}`,
      room,
      video,
      values,
      errors,
      maxMb: Math.round(config.uploads.maxVideoBytes / (1024 * 1024)),
      maxBytes: config.uploads.maxVideoBytes,
      action: video ? `${prefix}/videos/${video.id}` : `${prefix}/rooms/${room.id}/videos`,
      backHref: mode === 'admin' ? `/admin/rooms/${room.id}` : video ? `/videos/${video.id}` : `/rooms/${room.id}`,
    });

  const loadForEdit = async (req: Request) => {
    const video = await findVideo(db, idParam(req.params.videoId));
    const room = video ? await findRoomDetail(db, video.roomId) : undefined;
    if (!video || !room) throw notFound();
    authorizeItemManagement(req, room, mode);
    return { video, room };
  };
  const receive = async (req: Request) => {
    const received = await receiveUpload(req, videoRules(config), config.uploads.dir, verifyCsrf);
    if (!received.csrfOk) throw new HttpError(403, 'csrf');
    return received;
  };

  r.get(`${prefix}/rooms/:roomId/videos/new`, requireUser, async (req, res) => {
    const room = await loadTelevisionRoom(db, idParam(req.params.roomId));
    authorizeItemManagement(req, room, mode);
    renderForm(res, 200, room, null, { status: 'draft' }, NO_ERRORS);
  });

  r.post(uploadPaths(prefix).newVideo, requireUser, async (req, res) => {
    const room = await loadTelevisionRoom(db, idParam(req.params.roomId));
    authorizeItemManagement(req, room, mode);
    const received = await receive(req);
    const saved = await saveVideo({ db, config }, auditContext(req), room, null, received);
    if (!saved.ok) return renderForm(res, saved.status, room, null, received.fields, saved.errors);
    res.redirect(303, videoUrl(saved.id));
  });

  r.get(`${prefix}/videos/:videoId/edit`, requireUser, async (req, res) => {
    const { video, room } = await loadForEdit(req);
    // Back here after saving or publishing (admin pages): say what the video now is.
    if (req.query.done) res.locals.notice = savedNotice(video.status === 'published', room.name);
    renderForm(
      res,
      200,
      room,
      video,
      { title: video.title, description: video.description, transcript: video.transcript, status: video.status },
      NO_ERRORS,
    );
  });

  r.post(uploadPaths(prefix).video, requireUser, async (req, res) => {
    const { video, room } = await loadForEdit(req);
    const received = await receive(req);
    const saved = await saveVideo({ db, config }, auditContext(req), room, video, received);
    if (!saved.ok) return renderForm(res, saved.status, room, video, received.fields, saved.errors);
    res.redirect(303, videoUrl(saved.id));
  });

  const publishForm = validate({ params: z.strictObject({ videoId: UuidParam }), body: EmptyForm });
  for (const [path, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    r.post(`${prefix}/videos/:videoId/${path}`, requireUser, publishForm, async (req, res) => {
      const { video } = await loadForEdit(req);
      await setVideoPublished(db, auditContext(req), video.id, status);
      res.redirect(303, videoUrl(video.id));
    });
  }

  return r;
}
