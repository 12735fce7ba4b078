import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { findRoomDetail, findRoomsOfSubnets, type RoomDetail } from '../building/building.service.js';
import { roomFor } from '../rooms/load-room.js';
import { notFound } from '../http/errors.js';
import { notify } from '../notifications/notifications.service.js';
import { announceQueueChange, closeReportsAndNotify } from '../moderation/moderation.service.js';
import type { ModeratedItem } from '../moderation/removal-follow-up.js';
import {
  findReply,
  findThread,
  setPostStatus,
  updateThreadFlags,
  type ReplyRow,
  type ThreadRow,
} from './noticeboard.repo.js';
import { publishReply, type NoticeboardDeps } from './noticeboard.service.js';

// Staff use cases on noticeboard posts: remove, approve or decline held posts, pin, lock and move threads.

export type PostTarget =
  | { kind: 'thread'; thread: ThreadRow; room: RoomDetail }
  | { kind: 'reply'; reply: ReplyRow; thread: ThreadRow; room: RoomDetail };

/**
 * Loads a thread or reply for a staff action in its room.
 * @throws HttpError 404 / PolicyDenied (403 for members who can see the room).
 */
export async function postForModeration(
  db: Db,
  actor: SessionUser,
  target: { threadId?: string; replyId?: string },
  now: Date,
): Promise<PostTarget> {
  const reply = target.replyId ? await findReply(db, target.replyId) : undefined;
  const thread = await findThread(db, reply?.threadId ?? target.threadId ?? '00000000-0000-0000-0000-000000000000');
  if (!thread || (target.replyId && !reply)) throw notFound();
  const room = roomFor(await findRoomDetail(db, thread.roomId), actor, 'moderate', 'noticeboard', now);
  return reply ? { kind: 'reply', reply, thread, room } : { kind: 'thread', thread, room };
}

const idOf = (p: PostTarget) => (p.kind === 'thread' ? p.thread.id : p.reply.id);
const tableOf = (p: PostTarget) => (p.kind === 'thread' ? 'threads' : 'replies');
const authorOf = (p: PostTarget) => (p.kind === 'thread' ? p.thread.authorId : p.reply.authorId);

/**
 * A thread or reply as the moderation queue's follow-up (mute its author in the room, suspend
 * them) sees it. A removed thread is gone: its reporters are told about the room; a removed
 * reply's, about its thread.
 */
export function postItem(p: PostTarget): ModeratedItem {
  const common = { authorId: authorOf(p), room: p.room, id: idOf(p) };
  if (p.kind === 'thread')
    return {
      ...common,
      kind: 'thread',
      label: `The thread “${p.thread.title}”`,
      removed: p.thread.status === 'removed',
      path: `/moderation/threads/${p.thread.id}`,
      reports: {
        where: { threadId: p.thread.id },
        link: `/rooms/${p.room.id}`,
        target: { kind: 'room', id: p.room.id },
      },
    };
  return {
    ...common,
    kind: 'reply',
    label: `The reply to “${p.thread.title}”`,
    removed: p.reply.status === 'removed',
    path: `/moderation/replies/${p.reply.id}`,
    reports: {
      where: { replyId: p.reply.id },
      link: `/threads/${p.thread.id}`,
      target: { kind: 'thread', id: p.thread.id },
    },
  };
}

/**
 * Removes a thread or reply (kept, with who and why). Audited. Its open reports close as 'removed'
 * and their reporters are told, in the same transaction.
 */
export async function removePost(
  deps: NoticeboardDeps,
  ctx: AuditContext,
  p: PostTarget,
  reason: string,
): Promise<boolean> {
  return deps.db.transaction(async (trx) => {
    const done = await setPostStatus(
      trx,
      tableOf(p),
      idOf(p),
      ['visible', 'held'],
      'removed',
      ctx.actorId ?? '',
      reason || null,
    );
    if (done)
      await recordAudit(trx, ctx, {
        action: `noticeboard.${p.kind}.remove`,
        targetType: p.kind,
        targetId: idOf(p),
        details: { room_id: p.room.id },
      });
    const { where, link, target } = postItem(p).reports;
    await closeReportsAndNotify(trx, deps.realtime, where, ctx.actorId ?? '', 'removed', link, p.room, target);
    return done;
  });
}

/** Approves or declines a held thread or reply; its author is told either way. Audited. */
export async function decideHeldPost(
  deps: NoticeboardDeps,
  ctx: AuditContext,
  p: PostTarget,
  approve: boolean,
): Promise<boolean> {
  return deps.db.transaction(async (trx) => {
    const done = await setPostStatus(
      trx,
      tableOf(p),
      idOf(p),
      ['held'],
      approve ? 'visible' : 'declined',
      ctx.actorId ?? '',
      null,
    );
    if (!done) return false;
    announceQueueChange(trx, deps.realtime, p.room, 'handled');
    // Staff posts are never held, so an approved post is always a member's.
    if (approve && p.kind === 'reply')
      await publishReply(trx, deps.realtime, p.thread, { id: p.reply.id, authorId: p.reply.authorId }, false);
    if (approve && p.kind === 'thread') await updateThreadFlags(trx, p.thread.id, { last_activity_at: trx.fn.now() });
    const link = p.kind === 'thread' ? `/threads/${p.thread.id}` : `/threads/${p.thread.id}#reply-${p.reply.id}`;
    await notify(trx, deps.realtime, {
      userId: authorOf(p),
      kind: approve ? 'post_approved' : 'post_declined',
      link,
      roomId: p.room.id,
      target: { kind: 'thread', id: p.thread.id },
    });
    await recordAudit(trx, ctx, {
      action: `noticeboard.${p.kind}.${approve ? 'approve' : 'decline'}`,
      targetType: p.kind,
      targetId: idOf(p),
      details: { room_id: p.room.id },
    });
    return true;
  });
}

/** Pin, lock, or move a thread to another noticeboard of the same subnet. Audited. */
export async function changeThread(
  deps: NoticeboardDeps,
  ctx: AuditContext,
  actor: SessionUser,
  p: PostTarget & { kind: 'thread' },
  change: { pinned?: boolean; locked?: boolean; roomId?: string },
  now: Date,
): Promise<boolean> {
  if (change.roomId) {
    const target = await findRoomDetail(deps.db, change.roomId);
    if (!target || target.kind !== 'noticeboard' || target.subnetId !== p.room.subnetId || target.id === p.room.id)
      return false;
    roomFor(target, actor, 'moderate', 'noticeboard', now);
  }
  await deps.db.transaction(async (trx) => {
    await updateThreadFlags(trx, p.thread.id, {
      ...(change.pinned !== undefined ? { pinned: change.pinned } : {}),
      ...(change.locked !== undefined ? { locked: change.locked } : {}),
      ...(change.roomId ? { room_id: change.roomId } : {}),
    });
    const action = change.roomId
      ? 'move'
      : change.pinned !== undefined
        ? change.pinned
          ? 'pin'
          : 'unpin'
        : change.locked
          ? 'lock'
          : 'unlock';
    await recordAudit(trx, ctx, {
      action: `noticeboard.thread.${action}`,
      targetType: 'thread',
      targetId: p.thread.id,
      details: { room_id: p.room.id, ...(change.roomId ? { to_room_id: change.roomId } : {}) },
    });
  });
  return true;
}

/** The other noticeboards of a subnet a thread may move to. */
export async function otherNoticeboards(db: Db, room: RoomDetail): Promise<{ id: string; name: string }[]> {
  return (await findRoomsOfSubnets(db, [room.subnetId]))
    .filter((r) => r.kind === 'noticeboard' && r.id !== room.id)
    .map((r) => ({ id: r.id, name: r.name }));
}
