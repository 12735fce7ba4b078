import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';

export interface QueueMessage {
  id: number;
  roomId: string;
  roomName: string;
  authorId: string;
  nickname: string;
  body: string;
  status: string;
  createdAt: Date;
  /** The rule that held it, as stored (see moderation/held-reason.ts); null when it was never held. */
  heldReason: string | null;
}

export interface QueueReport {
  id: number;
  reason: string;
  createdAt: Date;
  reporterNickname: string;
  message: QueueMessage;
}

export interface QueueAlert {
  id: number;
  matched: string;
  createdAt: Date;
  message: QueueMessage;
}

const MESSAGE_COLUMNS = [
  'm.id as m_id',
  'm.room_id',
  'r.name as room_name',
  'm.author_id',
  'a.nickname as author_nickname',
  'm.body',
  'm.status',
  'm.created_at as m_created_at',
  'm.held_reason',
];

function toQueueMessage(r: Record<string, unknown>): QueueMessage {
  return {
    id: Number(r.m_id),
    roomId: r.room_id as string,
    roomName: r.room_name as string,
    authorId: r.author_id as string,
    nickname: r.author_nickname as string,
    body: r.body as string,
    status: r.status as string,
    createdAt: r.m_created_at as Date,
    heldReason: (r.held_reason as string | null) ?? null,
  };
}

/** Which part of the queue: a subnet's, or one of its rooms' (the room filter). */
export interface QueueScope {
  subnetId: string;
  roomId: string | null;
}
function inScope<Q extends Knex.QueryBuilder>(q: Q, scope: QueueScope): Q {
  q.where('r.subnet_id', scope.subnetId);
  if (scope.roomId !== null) q.where('r.id', scope.roomId);
  return q;
}

const messagesOfSubnet = (db: Db, scope: QueueScope) =>
  inScope(db('messages as m').join('rooms as r', 'r.id', 'm.room_id').join('users as a', 'a.id', 'm.author_id'), scope);

/** Open reports of a subnet, newest first. */
export async function listOpenReports(db: Db, scope: QueueScope, limit = 50): Promise<QueueReport[]> {
  const rows = await messagesOfSubnet(db, scope)
    .join('reports as rp', 'rp.message_id', 'm.id')
    .join('users as ru', 'ru.id', 'rp.reporter_id')
    .where('rp.status', 'open')
    .orderBy('rp.created_at', 'desc')
    .limit(limit)
    .select(
      ...MESSAGE_COLUMNS,
      'rp.id as report_id',
      'rp.reason',
      'rp.created_at as report_created_at',
      'ru.nickname as reporter_nickname',
    );
  return rows.map((r) => ({
    id: Number(r.report_id),
    reason: r.reason,
    createdAt: r.report_created_at,
    reporterNickname: r.reporter_nickname,
    message: toQueueMessage(r),
  }));
}

/** Held messages of a subnet, oldest first (the longest waiting first). */
export async function listHeldMessages(db: Db, scope: QueueScope, limit = 50): Promise<QueueMessage[]> {
  const rows = await messagesOfSubnet(db, scope)
    .where('m.status', 'held')
    .orderBy('m.id', 'asc')
    .limit(limit)
    .select(MESSAGE_COLUMNS);
  return rows.map(toQueueMessage);
}

/** Unacknowledged alerts of a subnet, oldest first. */
export async function listOpenAlerts(db: Db, scope: QueueScope, limit = 50): Promise<QueueAlert[]> {
  const rows = await messagesOfSubnet(db, scope)
    .join('alerts as al', 'al.message_id', 'm.id')
    .whereNull('al.acknowledged_at')
    .orderBy('al.id', 'asc')
    .limit(limit)
    .select(...MESSAGE_COLUMNS, 'al.id as alert_id', 'al.matched', 'al.created_at as alert_created_at');
  return rows.map((r) => ({
    id: Number(r.alert_id),
    matched: r.matched,
    createdAt: r.alert_created_at,
    message: toQueueMessage(r),
  }));
}

/**
 * An unacknowledged alert on a member's answer to a measure: who (their nickname and id, for the
 * link to their member page), the label of what was answered ("PHQ-9 item 9: Several days") and
 * when. Never the other items' scores, the total or the band: the queue needs only what alerted.
 */
export interface QueueMeasureAlert {
  id: number;
  matched: string;
  createdAt: Date;
  answeredAt: Date;
  member: { id: string; nickname: string };
}

/**
 * Unacknowledged alerts on measure answers in a subnet, oldest first. They belong to the subnet,
 * not to a room, so a room filter never hides them.
 */
export async function listMeasureAlerts(db: Db, subnetId: string, limit = 50): Promise<QueueMeasureAlert[]> {
  const rows = await db('alerts as al')
    .join('measure_responses as mr', 'mr.id', 'al.measure_response_id')
    .join('users as u', 'u.id', 'mr.user_id')
    .where('al.subnet_id', subnetId)
    .whereNull('al.acknowledged_at')
    .orderBy('al.id', 'asc')
    .limit(limit)
    .select('al.id', 'al.matched', 'al.created_at', 'mr.answered_at', 'u.id as user_id', 'u.nickname');
  return rows.map((r: Record<string, unknown>) => ({
    id: Number(r.id),
    matched: r.matched as string,
    createdAt: r.created_at as Date,
    answeredAt: r.answered_at as Date,
    member: { id: r.user_id as string, nickname: r.nickname as string },
  }));
}

/** The messages just before and after one (any status, so staff see the whole exchange). */
export async function messagesAround(db: Db, roomId: string, messageId: number, each = 3): Promise<QueueMessage[]> {
  const base = () =>
    db('messages as m')
      .join('rooms as r', 'r.id', 'm.room_id')
      .join('users as a', 'a.id', 'm.author_id')
      .where('m.room_id', roomId);
  const [before, after] = await Promise.all([
    base().where('m.id', '<', messageId).orderBy('m.id', 'desc').limit(each).select(MESSAGE_COLUMNS),
    base().where('m.id', '>', messageId).orderBy('m.id', 'asc').limit(each).select(MESSAGE_COLUMNS),
  ]);
  return [...before.reverse(), ...after].map(toQueueMessage);
}

/** A report with its message's room and subnet, for authorising an action on it. */
export interface TargetRef {
  id: number;
  messageId: number | null;
  threadId: string | null;
  replyId: string | null;
}

const toRef = (r: Record<string, unknown>): TargetRef => ({
  id: Number(r.id),
  messageId: r.message_id === null ? null : Number(r.message_id),
  threadId: r.thread_id as string | null,
  replyId: r.reply_id as string | null,
});

/** The room of a chat message (the queue reads messages of its subnet); undefined when there is none. */
export async function findMessageRoomId(db: Db, messageId: number): Promise<string | undefined> {
  const r = await db('messages').where({ id: messageId }).first('room_id');
  return r?.room_id as string | undefined;
}

export async function findReport(db: Db, id: number): Promise<TargetRef | undefined> {
  const r = await db('reports').where({ id }).first('id', 'message_id', 'thread_id', 'reply_id');
  return r ? toRef(r) : undefined;
}

/** An alert: what it points at, or (`measure`) that it is on a member's answer to a measure in `subnetId`. */
export type AlertRef = TargetRef & { subnetId: string; measure: boolean };

export async function findAlert(db: Db, id: number): Promise<AlertRef | undefined> {
  const r = await db('alerts')
    .where({ id })
    .first('id', 'subnet_id', 'message_id', 'thread_id', 'reply_id', 'measure_response_id');
  return r ? { ...toRef(r), subnetId: r.subnet_id as string, measure: r.measure_response_id !== null } : undefined;
}

export interface QueuePost {
  kind: 'thread' | 'reply';
  id: string;
  threadId: string;
  threadTitle: string;
  roomName: string;
  nickname: string;
  body: string;
  createdAt: Date;
}

const postsOfSubnet = (db: Db, scope: QueueScope, kind: 'thread' | 'reply') =>
  kind === 'thread'
    ? inScope(db('threads as t').join('rooms as r', 'r.id', 't.room_id'), scope)
        .join('users as a', 'a.id', 't.author_id')
        .select(
          db.raw("'thread' as kind"),
          't.id',
          't.id as thread_id',
          't.title as thread_title',
          'r.name as room_name',
          'a.nickname',
          db.raw("t.title || E'\\n' || t.body as body"),
          't.created_at',
        )
    : inScope(
        db('replies as p').join('threads as t', 't.id', 'p.thread_id').join('rooms as r', 'r.id', 't.room_id'),
        scope,
      )
        .join('users as a', 'a.id', 'p.author_id')
        .select(
          db.raw("'reply' as kind"),
          'p.id',
          't.id as thread_id',
          't.title as thread_title',
          'r.name as room_name',
          'a.nickname',
          'p.body',
          'p.created_at',
        );

function toQueuePost(r: Record<string, unknown>): QueuePost {
  return {
    kind: r.kind as 'thread' | 'reply',
    id: r.id as string,
    threadId: r.thread_id as string,
    threadTitle: r.thread_title as string,
    roomName: r.room_name as string,
    nickname: r.nickname as string,
    body: r.body as string,
    createdAt: r.created_at as Date,
  };
}

/** Held noticeboard posts of a subnet, oldest first. */
export async function listHeldPosts(db: Db, scope: QueueScope): Promise<QueuePost[]> {
  const [threads, replies] = await Promise.all([
    postsOfSubnet(db, scope, 'thread').where('t.status', 'held'),
    postsOfSubnet(db, scope, 'reply').where('p.status', 'held'),
  ]);
  return [...threads, ...replies].map(toQueuePost).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Open reports and open alerts on noticeboard posts of a subnet. */
export async function listPostFlags(
  db: Db,
  scope: QueueScope,
  table: 'reports' | 'alerts',
): Promise<{ id: number; reason: string; createdAt: Date; post: QueuePost }[]> {
  const open = (q: ReturnType<typeof db>) =>
    table === 'reports' ? q.where('x.status', 'open') : q.whereNull('x.acknowledged_at');
  const reasonCol = table === 'reports' ? 'x.reason' : 'x.matched';
  const [threads, replies] = await Promise.all([
    open(postsOfSubnet(db, scope, 'thread').join(`${table} as x`, 'x.thread_id', 't.id')).select(
      'x.id as flag_id',
      `${reasonCol} as flag_reason`,
      'x.created_at as flag_at',
    ),
    open(postsOfSubnet(db, scope, 'reply').join(`${table} as x`, 'x.reply_id', 'p.id')).select(
      'x.id as flag_id',
      `${reasonCol} as flag_reason`,
      'x.created_at as flag_at',
    ),
  ]);
  return [...threads, ...replies]
    .map((r: Record<string, unknown>) => ({
      id: Number(r.flag_id),
      reason: r.flag_reason as string,
      createdAt: r.flag_at as Date,
      post: toQueuePost(r),
    }))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export type ReportTarget = { id?: number; messageId?: number; threadId?: string; replyId?: string };

/** How a report was closed (a CHECK on reports.outcome holds the table to this list). */
export const REPORT_OUTCOMES = ['dismissed', 'removed', 'muted', 'suspended'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/** Closes one report, or every open report of a message or post, with an outcome; returns the reporters. */
export async function closeReports(db: Db, where: ReportTarget, by: string, outcome: ReportOutcome): Promise<string[]> {
  const q = db('reports').where('status', 'open');
  if (where.id !== undefined) q.where('id', where.id);
  if (where.messageId !== undefined) q.where('message_id', where.messageId);
  if (where.threadId !== undefined) q.where('thread_id', where.threadId);
  if (where.replyId !== undefined) q.where('reply_id', where.replyId);
  const rows: { reporter_id: string }[] = await q
    .update({ status: 'closed', handled_by: by, handled_at: db.fn.now(), outcome })
    .returning('reporter_id');
  return rows.map((r) => r.reporter_id);
}

export async function acknowledgeAlertRow(db: Db, id: number, by: string): Promise<boolean> {
  return (
    (await db('alerts')
      .where({ id })
      .whereNull('acknowledged_at')
      .update({ acknowledged_by: by, acknowledged_at: db.fn.now() })) > 0
  );
}
