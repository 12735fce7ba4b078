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

const MESSAGE_COLUMNS = ['m.id as m_id', 'm.room_id', 'r.name as room_name', 'm.author_id', 'a.nickname as author_nickname', 'm.body', 'm.status', 'm.created_at as m_created_at'];

function toQueueMessage(r: Record<string, unknown>): QueueMessage {
  return {
    id: Number(r.m_id), roomId: r.room_id as string, roomName: r.room_name as string, authorId: r.author_id as string,
    nickname: r.author_nickname as string, body: r.body as string, status: r.status as string, createdAt: r.m_created_at as Date,
  };
}

const messagesOfSubnet = (db: Db, subnetId: string) =>
  db('messages as m').join('rooms as r', 'r.id', 'm.room_id').join('users as a', 'a.id', 'm.author_id').where('r.subnet_id', subnetId);

/** Open reports of a subnet, newest first. */
export async function listOpenReports(db: Db, subnetId: string, limit = 50): Promise<QueueReport[]> {
  const rows = await messagesOfSubnet(db, subnetId)
    .join('reports as rp', 'rp.message_id', 'm.id')
    .join('users as ru', 'ru.id', 'rp.reporter_id')
    .where('rp.status', 'open')
    .orderBy('rp.created_at', 'desc')
    .limit(limit)
    .select(...MESSAGE_COLUMNS, 'rp.id as report_id', 'rp.reason', 'rp.created_at as report_created_at', 'ru.nickname as reporter_nickname');
  return rows.map((r) => ({ id: Number(r.report_id), reason: r.reason, createdAt: r.report_created_at, reporterNickname: r.reporter_nickname, message: toQueueMessage(r) }));
}

/** Held messages of a subnet, oldest first (the longest waiting first). */
export async function listHeldMessages(db: Db, subnetId: string, limit = 50): Promise<QueueMessage[]> {
  const rows = await messagesOfSubnet(db, subnetId).where('m.status', 'held').orderBy('m.id', 'asc').limit(limit).select(MESSAGE_COLUMNS);
  return rows.map(toQueueMessage);
}

/** Unacknowledged alerts of a subnet, oldest first. */
export async function listOpenAlerts(db: Db, subnetId: string, limit = 50): Promise<QueueAlert[]> {
  const rows = await messagesOfSubnet(db, subnetId)
    .join('alerts as al', 'al.message_id', 'm.id')
    .whereNull('al.acknowledged_at')
    .orderBy('al.id', 'asc')
    .limit(limit)
    .select(...MESSAGE_COLUMNS, 'al.id as alert_id', 'al.matched', 'al.created_at as alert_created_at');
  return rows.map((r) => ({ id: Number(r.alert_id), matched: r.matched, createdAt: r.alert_created_at, message: toQueueMessage(r) }));
}

/** The messages just before and after one (any status, so staff see the whole exchange). */
export async function messagesAround(db: Db, roomId: string, messageId: number, each = 3): Promise<QueueMessage[]> {
  const base = () => db('messages as m').join('rooms as r', 'r.id', 'm.room_id').join('users as a', 'a.id', 'm.author_id').where('m.room_id', roomId);
  const [before, after] = await Promise.all([
    base().where('m.id', '<', messageId).orderBy('m.id', 'desc').limit(each).select(MESSAGE_COLUMNS),
    base().where('m.id', '>', messageId).orderBy('m.id', 'asc').limit(each).select(MESSAGE_COLUMNS),
  ]);
  return [...before.reverse(), ...after].map(toQueueMessage);
}

/** A report with its message's room and subnet, for authorising an action on it. */
export async function findReport(db: Db, id: number): Promise<{ id: number; messageId: number; status: string } | undefined> {
  const r = await db('reports').where({ id }).first('id', 'message_id', 'status');
  return r ? { id: Number(r.id), messageId: Number(r.message_id), status: r.status } : undefined;
}

export async function findAlert(db: Db, id: number): Promise<{ id: number; messageId: number } | undefined> {
  const r = await db('alerts').where({ id }).first('id', 'message_id');
  return r ? { id: Number(r.id), messageId: Number(r.message_id) } : undefined;
}

/** Closes one report, or every open report of a message, with an outcome. */
export async function closeReports(db: Db, where: { id?: number; messageId?: number }, by: string, outcome: string): Promise<number> {
  const q = db('reports').where('status', 'open');
  if (where.id !== undefined) q.where('id', where.id);
  if (where.messageId !== undefined) q.where('message_id', where.messageId);
  return q.update({ status: 'closed', handled_by: by, handled_at: db.fn.now(), outcome });
}

export async function acknowledgeAlertRow(db: Db, id: number, by: string): Promise<boolean> {
  return (await db('alerts').where({ id }).whereNull('acknowledged_at').update({ acknowledged_by: by, acknowledged_at: db.fn.now() })) > 0;
}
