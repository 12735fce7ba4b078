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
import {
  announceQueueChange,
  closeReportsAndNotify,
  mutedUntil,
  recordMessageReport,
  recordMute,
} from '../moderation/moderation.service.js';
import { memberTarget, setAccountStatus } from '../members/members.service.js';
import { canActOnMember, isMemberRole } from '../policy/index.js';
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

/** What is still open to a moderator about a removed message's author (removal never ends the job). */
export interface RemovalFollowUp {
  m: Moderated;
  author: { nickname: string; suspended: boolean; mutedUntil: Date | null };
  can: { mute: boolean; suspend: boolean };
}

/**
 * The page after removing a message: its author, whether they can still be muted in the room
 * (members only: staff are never muted) and suspended (the policy's answer for this moderator).
 * @throws HttpError 404 unless the message was removed / PolicyDenied (hidden) for non-staff of its subnet.
 */
export async function removalFollowUp(
  db: Db,
  actor: SessionUser,
  messageId: number,
  now: Date,
): Promise<RemovalFollowUp> {
  const m = await messageForModeration(db, actor, messageId, now);
  const author = m.message.status === 'removed' ? await memberTarget(db, m.message.authorId) : undefined;
  if (!author) throw notFound();
  const suspended = author.status !== 'active';
  return {
    m,
    author: { nickname: author.nickname, suspended, mutedUntil: await mutedUntil(db, m.room.id, author.id) },
    can: {
      mute: isMemberRole(author.role) && !suspended,
      suspend: !suspended && canActOnMember(actor, 'suspend_member', author, m.room.subnetId, now).allowed,
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
export async function muteAuthor(
  deps: ChatDeps,
  ctx: AuditContext,
  m: Moderated,
  minutes: number,
  reason: string,
  now: Date,
  opts: { closeReports?: boolean } = {},
): Promise<Date> {
  const until = new Date(now.getTime() + minutes * 60_000);
  await deps.db.transaction(async (trx) => {
    await recordMute(trx, m.room.id, m.message.authorId, ctx.actorId ?? '', until, reason || null);
    await recordAudit(trx, ctx, {
      action: 'member.mute',
      targetType: 'user',
      targetId: m.message.authorId,
      details: { room_id: m.room.id, minutes },
    });
    if (opts.closeReports) await closeMessageReports(trx, deps.realtime, ctx, m, 'muted');
  });
  deps.realtime.emitToUser(m.message.authorId, 'mute', { roomId: m.room.id, until: until.toISOString() });
  return until;
}

/**
 * Suspends the author of a reported message (the reason kept in the audit log) and closes the
 * message's open reports as 'suspended', in one transaction; their pages are told after the commit.
 */
export async function suspendMessageAuthor(
  deps: ChatDeps,
  ctx: AuditContext,
  m: Moderated,
  reason: string,
): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await setAccountStatus(trx, deps.realtime, ctx, m.message.authorId, 'suspended', {
      subnet_id: m.room.subnetId,
      message_id: String(m.message.id),
      reason,
    });
    await closeMessageReports(trx, deps.realtime, ctx, m, 'suspended');
  });
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
