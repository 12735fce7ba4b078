import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { findRoomDetail, type RoomDetail } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { findMessage, setMessageStatus, type MessageRow } from './chat.repo.js';
import { roomFor } from '../rooms/load-room.js';
import type { Realtime } from '../realtime/realtime.js';
import { notify } from '../notifications/notifications.service.js';
import { announceQueueChange, closeReportsAndNotify, recordMessageReport } from '../moderation/moderation.service.js';
import { muteItemAuthor, type ModeratedItem } from '../moderation/removal-follow-up.js';
import { toPublic, type ChatDeps } from './chat.service.js';

/*
 * Staff and members acting on a living-room message already posted: remove, mute its author,
 * suspend its author, approve or decline it when held, report it. Each is one transaction with
 * its audit row; what others see is sent once it has committed.
 */

export interface Moderated {
  message: MessageRow;
  room: RoomDetail;
}

/** Closes a message's open reports with an outcome; the reporters are told once it commits. */
const closeMessageReports = (
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  m: Moderated,
  outcome: 'removed' | 'muted' | 'suspended',
) =>
  closeReportsAndNotify(
    db,
    realtime,
    { messageId: m.message.id },
    ctx.actorId ?? '',
    outcome,
    `/rooms/${m.room.id}`,
    m.room,
  );

/**
 * Loads a message for a moderation action in its room.
 * @throws HttpError 404 / PolicyDenied (404 when the room is hidden, 403 for members).
 */
export async function messageForModeration(
  db: Db,
  actor: SessionUser,
  messageId: number,
  now: Date,
): Promise<Moderated> {
  const message = await findMessage(db, messageId);
  const room = roomFor(
    message ? await findRoomDetail(db, message.roomId) : undefined,
    actor,
    'moderate',
    'living_room',
    now,
  );
  if (!message) throw notFound();
  return { message, room };
}

/** A message as the moderation queue's follow-up (mute, suspend its author) sees it. */
export function messageItem(m: Moderated): ModeratedItem {
  return {
    kind: 'message',
    id: String(m.message.id),
    label: 'The message',
    authorId: m.message.authorId,
    removed: m.message.status === 'removed',
    room: m.room,
    path: `/moderation/messages/${m.message.id}`,
    reports: {
      where: { messageId: m.message.id },
      link: `/rooms/${m.room.id}`,
      target: { kind: 'room', id: m.room.id },
    },
  };
}

/**
 * Removes a message for everyone, live; it is kept with who removed it and why. From the queue
 * (`closeReports`), its open reports close as 'removed' and their reporters are told, in the same
 * transaction: either all of it happens or none.
 */
export async function removeMessage(
  deps: ChatDeps,
  ctx: AuditContext,
  m: Moderated,
  reason: string,
  opts: { closeReports?: boolean } = {},
): Promise<boolean> {
  const done = await deps.db.transaction(async (trx) => {
    const changed = await setMessageStatus(
      trx,
      m.message.id,
      ['visible', 'held'],
      'removed',
      ctx.actorId ?? '',
      reason || null,
    );
    if (changed)
      await recordAudit(trx, ctx, {
        action: 'message.remove',
        targetType: 'message',
        targetId: String(m.message.id),
        details: { room_id: m.room.id },
      });
    if (opts.closeReports) await closeMessageReports(trx, deps.realtime, ctx, m, 'removed');
    return changed;
  });
  if (done)
    deps.realtime.emitToRoom(m.room.id, 'message:removed', { id: m.message.id, roomId: m.room.id, status: 'removed' });
  return done;
}

/**
 * Mutes the author of a message in its room for some minutes (staff are never muted); from the
 * queue (`closeReports`), the message's open reports close as 'muted' in the same transaction.
 */
export function muteAuthor(
  deps: ChatDeps,
  ctx: AuditContext,
  m: Moderated,
  minutes: number,
  reason: string,
  now: Date,
  opts: { closeReports?: boolean } = {},
): Promise<Date> {
  return muteItemAuthor(deps, ctx, messageItem(m), minutes, now, { reason, ...opts });
}

/** Approves (delivers) or declines a held message. */
export async function decideHeld(deps: ChatDeps, ctx: AuditContext, m: Moderated, approve: boolean): Promise<boolean> {
  const done = await deps.db.transaction(async (trx) => {
    const changed = await setMessageStatus(
      trx,
      m.message.id,
      ['held'],
      approve ? 'visible' : 'declined',
      ctx.actorId ?? '',
      null,
    );
    if (changed)
      await recordAudit(trx, ctx, {
        action: approve ? 'message.approve' : 'message.decline',
        targetType: 'message',
        targetId: String(m.message.id),
        details: { room_id: m.room.id },
      });
    return changed;
  });
  if (done && approve)
    deps.realtime.emitToRoom(m.room.id, 'message:new', { ...toPublic(m.message), status: 'visible' });
  if (done && !approve)
    deps.realtime.emitToUser(m.message.authorId, 'message:declined', {
      id: m.message.id,
      roomId: m.room.id,
      status: 'declined',
    });
  if (done) announceQueueChange(deps.db, deps.realtime, m.room, 'handled');
  if (done)
    await notify(deps.db, deps.realtime, {
      userId: m.message.authorId,
      kind: approve ? 'post_approved' : 'post_declined',
      link: `/rooms/${m.room.id}`,
      roomId: m.room.id,
      target: { kind: 'room', id: m.room.id },
    });
  return done;
}

/**
 * A visible message and its room, for a person who may report it.
 * @throws HttpError 404 when the message is not visible to them / PolicyDenied.
 */
export async function messageToReport(db: Db, actor: SessionUser, messageId: number, now: Date): Promise<Moderated> {
  const message = await findMessage(db, messageId);
  if (!message || message.status !== 'visible') throw notFound();
  return { message, room: roomFor(await findRoomDetail(db, message.roomId), actor, 'report', 'living_room', now) };
}

/**
 * Reports a message the actor can see, with a reason, into the subnet's moderation queue.
 * @throws HttpError 404 when the message is not visible to them.
 */
export async function reportMessage(
  deps: ChatDeps,
  actor: SessionUser,
  ctx: AuditContext,
  messageId: number,
  reason: string,
  now: Date,
): Promise<void> {
  const { room } = await messageToReport(deps.db, actor, messageId, now);
  const id = await recordMessageReport(deps.db, messageId, actor.id, reason);
  if (id === null) return;
  await recordAudit(deps.db, ctx, {
    action: 'message.report',
    targetType: 'message',
    targetId: String(messageId),
    details: { report_id: id },
  });
  announceQueueChange(deps.db, deps.realtime, room, 'added');
}
