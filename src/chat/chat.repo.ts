import type { Db } from '../db/knex.js';
import type { Role } from '../policy/index.js';
import type { WatchRule } from './watched-words.js';

export const MESSAGE_STATUSES = ['visible', 'held', 'removed', 'declined'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A message as stored, with its author's public face (nickname and role for the badge). */
export interface MessageRow {
  id: number;
  roomId: string;
  authorId: string;
  authorNickname: string;
  authorRole: Role;
  clientId: string;
  body: string;
  status: MessageStatus;
  createdAt: Date;
}

const SELECT = ['m.id', 'm.room_id', 'm.author_id', 'm.client_id', 'm.body', 'm.status', 'm.created_at', 'u.nickname', 'u.role'];

function toMessage(r: Record<string, unknown>): MessageRow {
  return {
    id: Number(r.id),
    roomId: r.room_id as string,
    authorId: r.author_id as string,
    authorNickname: r.nickname as string,
    authorRole: r.role as Role,
    clientId: r.client_id as string,
    body: r.body as string,
    status: r.status as MessageStatus,
    createdAt: r.created_at as Date,
  };
}

export interface NewMessage {
  roomId: string;
  authorId: string;
  clientId: string;
  body: string;
  status: 'visible' | 'held';
  heldReason: string | null;
}

/**
 * Inserts a message, or returns the one this author already sent with this client id (a retry).
 * `created` says which.
 */
export async function insertMessageOnce(db: Db, m: NewMessage): Promise<{ message: MessageRow; created: boolean }> {
  const inserted = await db('messages')
    .insert({ room_id: m.roomId, author_id: m.authorId, client_id: m.clientId, body: m.body, status: m.status, held_reason: m.heldReason })
    .onConflict(['author_id', 'client_id'])
    .ignore()
    .returning('id');
  const id = inserted[0]?.id;
  const row = await db('messages as m').join('users as u', 'u.id', 'm.author_id')
    .where(id ? { 'm.id': id } : { 'm.author_id': m.authorId, 'm.client_id': m.clientId })
    .first(SELECT);
  return { message: toMessage(row), created: Boolean(id) };
}

export interface PageOpts {
  beforeId?: number;
  afterId?: number;
  limit: number;
}

/** Visible messages of a room (keyset on the (room_id, id) index): the newest, before an id, or after one. */
function visibleQuery(db: Db, roomId: string, opts: PageOpts) {
  const q = db('messages as m').join('users as u', 'u.id', 'm.author_id').where('m.room_id', roomId).where('m.status', 'visible');
  if (opts.afterId !== undefined) return q.where('m.id', '>', opts.afterId).orderBy('m.id', 'asc').limit(opts.limit).select(SELECT);
  if (opts.beforeId !== undefined) q.where('m.id', '<', opts.beforeId);
  return q.orderBy('m.id', 'desc').limit(opts.limit).select(SELECT);
}

/** Oldest first, whichever way the query ran. */
const inOrder = (rows: MessageRow[], opts: PageOpts) => (opts.afterId !== undefined ? rows : rows.reverse());

/** Visible messages of a room, oldest first: the newest page, before an id, or after one. */
export async function listMessages(db: Db, roomId: string, opts: PageOpts): Promise<MessageRow[]> {
  return inOrder((await visibleQuery(db, roomId, opts)).map(toMessage), opts);
}

const OWN_HELD_LIMIT = 20;

/** An author's own messages in a room that are waiting (held) or were declined this week. */
function ownHeldQuery(db: Db, roomId: string, authorId: string) {
  return db('messages as m').join('users as u', 'u.id', 'm.author_id')
    .where({ 'm.room_id': roomId, 'm.author_id': authorId })
    .where((q) => q.where('m.status', 'held').orWhere((d) => d.where('m.status', 'declined').where('m.moderated_at', '>', db.raw("now() - interval '7 days'"))))
    .orderBy('m.id', 'desc').limit(OWN_HELD_LIMIT).select(SELECT);
}

export async function listOwnHeld(db: Db, roomId: string, authorId: string): Promise<MessageRow[]> {
  return (await ownHeldQuery(db, roomId, authorId)).map(toMessage).reverse();
}

/**
 * What a reader sees on opening a room, in one round trip: a page of visible messages and their
 * own held or declined ones, both oldest first.
 */
export async function listRoomPage(db: Db, roomId: string, readerId: string, opts: PageOpts): Promise<{ visible: MessageRow[]; own: MessageRow[] }> {
  const { rows } = await db.raw('? UNION ALL ?', [visibleQuery(db, roomId, opts).select(db.raw("'visible' AS part")), ownHeldQuery(db, roomId, readerId).select(db.raw("'own' AS part"))]);
  const part = (name: string) => (rows as Record<string, unknown>[]).filter((r) => r.part === name).map(toMessage);
  return { visible: inOrder(part('visible'), opts), own: part('own').reverse() };
}

export async function findMessage(db: Db, id: number): Promise<MessageRow | undefined> {
  const row = await db('messages as m').join('users as u', 'u.id', 'm.author_id').where('m.id', id).first(SELECT);
  return row ? toMessage(row) : undefined;
}

/** Moves a message from one status to another; false when it was no longer in `from`. */
export async function setMessageStatus(db: Db, id: number, from: MessageStatus[], to: MessageStatus, by: string, reason: string | null): Promise<boolean> {
  const n = await db('messages').where({ id }).whereIn('status', from).update({ status: to, moderated_by: by, moderated_at: db.fn.now(), moderation_reason: reason });
  return n > 0;
}

/** When the member's mute in the room ends, or null. */
export async function findMuteUntil(db: Db, roomId: string, userId: string): Promise<Date | null> {
  const row = await db('mutes').where({ room_id: roomId, user_id: userId }).where('until', '>', db.fn.now()).max('until as until').first();
  return (row?.until as Date | null | undefined) ?? null;
}

export async function insertMute(db: Db, roomId: string, userId: string, by: string, until: Date, reason: string | null): Promise<void> {
  await db('mutes').insert({ room_id: roomId, user_id: userId, muted_by: by, until, reason });
}

/** Records a report; false when this person had already reported this message. */
export async function insertReport(db: Db, messageId: number, reporterId: string, reason: string): Promise<number | null> {
  const rows = await db('reports').insert({ message_id: messageId, reporter_id: reporterId, reason }).onConflict(['message_id', 'reporter_id']).ignore().returning('id');
  return rows[0]?.id ?? null;
}

export async function insertAlert(db: Db, subnetId: string, messageId: number, matched: string): Promise<number> {
  const [row] = await db('alerts').insert({ subnet_id: subnetId, message_id: messageId, matched }).returning('id');
  return row.id;
}

/** The watched-word rules that apply in a room: the subnet's and the room's own. */
export async function findRulesForRoom(db: Db, subnetId: string, roomId: string): Promise<WatchRule[]> {
  const rows = await db('watched_words').where({ subnet_id: subnetId }).andWhere((q) => q.whereNull('room_id').orWhere('room_id', roomId)).orderBy('id');
  return rows.map((r) => ({ id: Number(r.id), kind: r.kind, pattern: r.pattern, action: r.action }));
}
