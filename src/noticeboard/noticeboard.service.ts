import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { type RoomDetail, type RoomSummary } from '../building/building.service.js';
import { loadRoomForContent, loadRoomOfKind } from '../rooms/load-room.js';
import type { Realtime } from '../realtime/realtime.js';
import type { Config } from '../config.js';
import { coverHoldsPosts, postingState, roomCover, type RoomCover } from '../safety/duty.service.js';
import { evaluateWatchedWords } from '../moderation/watched-words.js';
import { announceAlert } from '../safety/support.js';
import { notFound } from '../http/errors.js';
import { notify } from '../notifications/notifications.service.js';
import { announceQueueChange, rulesForRoom } from '../moderation/moderation.service.js';
import {
  authorize,
  canPostMessage,
  canPostWithoutModeration,
  canReplyToThread,
  canActInRoom,
  canSeeContent,
  isSubnetStaffRole,
} from '../policy/index.js';
import {
  findReply,
  findReplyHeadings,
  findThread,
  findThreadHeadings,
  insertPostAlert,
  insertPostReport,
  insertReply,
  insertThread,
  touchThreadForReply,
  type ThreadRow,
} from './noticeboard.repo.js';

export interface NoticeboardDeps {
  db: Db;
  realtime: Realtime;
  config: Config;
}

/** @throws HttpError 404 unless the room is a noticeboard. */
export async function loadNoticeboard(db: Db, roomId: string): Promise<RoomDetail> {
  return loadRoomOfKind(db, roomId, 'noticeboard');
}

/** Whether the actor is staff of the room's subnet (moderates; their replies answer a thread as staff). */
export const isRoomStaff = (actor: SessionUser, room: RoomDetail, now: Date): boolean =>
  canActInRoom(actor, 'moderate', room, now).allowed;

/**
 * A thread the actor may read: visible ones to anyone who may enter the room; held or declined
 * ones to their author and staff; removed ones to nobody (kept for audit only).
 * @throws HttpError 404 / PolicyDenied.
 */
export async function readThread(
  db: Db,
  actor: SessionUser,
  threadId: string,
  now: Date,
): Promise<{ thread: ThreadRow; room: RoomDetail }> {
  const thread = await findThread(db, threadId);
  const room = await loadRoomForContent(db, actor, thread, now);
  return { thread: thread as ThreadRow, room };
}

interface Verdict {
  status: 'visible' | 'held';
  alerts: string[];
}

/** Pre-moderation (the room's setting or its cover rule now) and watched words, exactly as in chat: staff are never held (the policy's). */
async function verdictFor(
  db: Db,
  actor: SessionUser,
  room: RoomDetail,
  cover: RoomCover,
  text: string,
  now: Date,
): Promise<Verdict> {
  const unheld = canPostWithoutModeration(actor, room, now).allowed;
  const result = evaluateWatchedWords(text, await rulesForRoom(db, room.subnetId, room.id));
  const held = !unheld && (room.preModerated || coverHoldsPosts(cover) || result.hold !== null);
  return { status: held ? 'held' : 'visible', alerts: result.alerts.map((a) => a.pattern) };
}

function afterPost(deps: NoticeboardDeps, room: RoomDetail, verdict: Verdict): void {
  if (verdict.status === 'held') announceQueueChange(deps.db, deps.realtime, room, 'added');
  // As in chat: staff on duty and every staff member of the subnet with an open page, whatever their duty.
  if (verdict.alerts.length) announceAlert(deps.realtime, room, { nickname: 'a member' });
}

/** Starts a thread. Returns its id and whether it waits for a moderator. */
export async function startThread(
  deps: NoticeboardDeps,
  actor: SessionUser,
  room: RoomDetail,
  input: { title: string; body: string },
  now: Date,
): Promise<{ id: string; held: boolean }> {
  const { db } = deps;
  const cover = await roomCover(db, deps.config, room, now);
  authorize(canPostMessage(actor, room, await postingState(db, actor.id, cover, room.id), now));
  const verdict = await verdictFor(db, actor, room, cover, `${input.title}\n${input.body}`, now);
  const id = await db.transaction(async (trx) => {
    const threadId = await insertThread(trx, {
      roomId: room.id,
      authorId: actor.id,
      authorRole: actor.role,
      title: input.title,
      body: input.body,
      status: verdict.status,
    });
    for (const matched of verdict.alerts) await insertPostAlert(trx, room.subnetId, { threadId }, matched);
    return threadId;
  });
  afterPost(deps, room, verdict);
  return { id, held: verdict.status === 'held' };
}

/** Replies to a thread; a visible reply counts on the thread and tells its author. */
export async function replyToThread(
  deps: NoticeboardDeps,
  actor: SessionUser,
  thread: ThreadRow,
  room: RoomDetail,
  body: string,
  now: Date,
): Promise<{ id: string; held: boolean }> {
  const { db } = deps;
  if (thread.status !== 'visible') throw notFound();
  const cover = await roomCover(db, deps.config, room, now);
  authorize(canReplyToThread(actor, room, thread, await postingState(db, actor.id, cover, room.id), now));
  const verdict = await verdictFor(db, actor, room, cover, body, now);
  const staff = isRoomStaff(actor, room, now);
  const id = await db.transaction(async (trx) => {
    const replyId = await insertReply(trx, {
      threadId: thread.id,
      authorId: actor.id,
      authorRole: actor.role,
      body,
      status: verdict.status,
    });
    for (const matched of verdict.alerts) await insertPostAlert(trx, room.subnetId, { replyId }, matched);
    if (verdict.status === 'visible')
      await publishReply(trx, deps.realtime, thread, { id: replyId, authorId: actor.id }, staff);
    return replyId;
  });
  afterPost(deps, room, verdict);
  return { id, held: verdict.status === 'held' };
}

/** A reply becomes visible: activity, count, "answered by staff", and the thread's author told (also on approval, post-moderation.service). */
export async function publishReply(
  db: Db,
  realtime: Realtime,
  thread: ThreadRow,
  reply: { id: string; authorId: string },
  byStaff: boolean,
): Promise<void> {
  await touchThreadForReply(db, thread.id, byStaff);
  // The notification names the thread and whether staff answered (read from the reply when shown).
  if (reply.authorId !== thread.authorId)
    await notify(db, realtime, {
      userId: thread.authorId,
      kind: 'thread_reply',
      link: `/threads/${thread.id}#latest`,
      roomId: thread.roomId,
      target: { kind: 'reply', id: reply.id },
    });
}

/**
 * A visible thread or reply the actor may report.
 * @throws HttpError 404 / PolicyDenied.
 */
export async function reportable(
  db: Db,
  actor: SessionUser,
  target: { threadId?: string; replyId?: string },
  now: Date,
): Promise<{ thread: ThreadRow; room: RoomDetail }> {
  const reply = target.replyId ? await findReply(db, target.replyId) : undefined;
  if (target.replyId && !reply) throw notFound();
  const { thread, room } = await readThread(db, actor, reply?.threadId ?? target.threadId ?? '', now);
  if (thread.status !== 'visible' || (target.replyId && reply?.status !== 'visible')) throw notFound();
  authorize(canActInRoom(actor, 'report', room, now));
  return { thread, room };
}

/** Reports a visible thread or reply into the subnet's moderation queue. */
export async function reportPost(
  deps: NoticeboardDeps,
  actor: SessionUser,
  ctx: AuditContext,
  target: { threadId?: string; replyId?: string },
  reason: string,
  now: Date,
): Promise<{ threadId: string }> {
  const { thread, room } = await reportable(deps.db, actor, target, now);
  const id = await insertPostReport(
    deps.db,
    target.replyId ? { replyId: target.replyId } : { threadId: thread.id },
    actor.id,
    reason,
  );
  if (id !== null) {
    await recordAudit(deps.db, ctx, {
      action: 'noticeboard.report',
      targetType: target.replyId ? 'reply' : 'thread',
      targetId: target.replyId ?? thread.id,
      details: { report_id: id },
    });
    announceQueueChange(deps.db, deps.realtime, room, 'added');
  }
  return { threadId: thread.id };
}

/** What a notification may say about a thread: its title and room, only while the person may read it. */
export interface ThreadNotice {
  title: string;
  roomId: string;
}

/**
 * For notifications (never bodies): the threads named by id or by one of their replies that the
 * actor may read now in one of `rooms` (the rooms they may see), and whether each reply was
 * written by staff. A thread missing from the answer is gone or no longer theirs to read.
 */
export async function threadsForNotices(
  db: Db,
  actor: SessionUser,
  ref: { threadIds: readonly string[]; replyIds: readonly string[] },
  rooms: ReadonlyMap<string, RoomSummary>,
  now: Date,
): Promise<{ threads: Map<string, ThreadNotice>; replies: Map<string, { threadId: string; byStaff: boolean }> }> {
  const replyRows = await findReplyHeadings(db, ref.replyIds);
  const threadRows = await findThreadHeadings(db, [
    ...new Set([...ref.threadIds, ...replyRows.map((r) => r.threadId)]),
  ]);
  const threads = new Map<string, ThreadNotice>();
  for (const t of threadRows) {
    const room = rooms.get(t.roomId);
    if (room && canSeeContent(actor, room, { status: t.status, authorId: t.authorId }, now).allowed)
      threads.set(t.id, { title: t.title, roomId: t.roomId });
  }
  const replies = new Map(
    replyRows.map((r) => [r.id, { threadId: r.threadId, byStaff: isSubnetStaffRole(r.authorRole) }] as const),
  );
  return { threads, replies };
}
