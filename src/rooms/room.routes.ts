import { Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { actorOf, requireUser } from '../http/guards.js';
import { idParam } from '../http/params.js';
import { openRoom, type ChatDeps } from '../chat/chat.service.js';
import { renderLivingRoom } from '../chat/chat.routes.js';
import { renderLibraryRoom } from '../library/library.routes.js';
import { renderTelevisionRoom } from '../television/television.routes.js';
import { renderNoticeboard } from '../noticeboard/noticeboard.routes.js';
import { roomFor } from './load-room.js';
import { createVisitRecorder } from '../building/room-visits.service.js';

/** A room kind with no page: unreachable while the switch below names every kind. */
function noPageFor(kind: never): never {
  throw new Error(`no page for room kind ${String(kind)}`);
}

/**
 * GET /rooms/:roomId, every kind of room: the room is read once, the policy asked once ('enter'),
 * and the kind's feature renders the page. A new room kind does not compile until it has a case
 * here (and a rule in the policy). A missing room and one the person may not see answer the same 404.
 */
export function roomRoutes(deps: { db: Db; realtime: Realtime; config: Config; chat: ChatDeps }): Router {
  const r = Router();
  const { db } = deps;
  const visits = createVisitRecorder(db);

  r.get('/rooms/:roomId', requireUser, async (req, res) => {
    const actor = actorOf(req);
    // One round trip reads the room with its living-room page (empty for other kinds); nothing but
    // the room is used until the policy allows. (`before` is read leniently here: the living room's
    // page validates the query strictly.)
    const before = Number(req.query.before);
    const beforeId = Number.isSafeInteger(before) && before > 0 ? before : undefined;
    const read = await openRoom(db, idParam(req.params.roomId), actor.id, beforeId);
    const room = roomFor(read?.room, actor, 'enter', undefined, new Date());
    // Allowed in: this is their visit, for the lobby's "new since your last visit" (one upsert, or
    // none when they looked under a minute ago and no message has come into the living room since).
    const newest = room.kind === 'living_room' && beforeId === undefined ? read?.newestMessageId : undefined;
    await visits.record(actor.id, room.id, newest);
    switch (room.kind) {
      case 'living_room':
        return renderLivingRoom(deps.chat, req, res, room, 200, { read });
      case 'library':
        return renderLibraryRoom(deps, req, res, room);
      case 'television':
        return renderTelevisionRoom(deps, req, res, room);
      case 'noticeboard':
        return renderNoticeboard(deps, req, res, room, 200, undefined, undefined, read?.onDuty);
      default:
        return noPageFor(room.kind);
    }
  });

  return r;
}
