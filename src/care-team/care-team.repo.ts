import type { Db } from '../db/knex.js';
import type { Role } from '../policy/index.js';

export interface ConversationRow {
  id: string;
  subnetId: string;
  memberId: string;
  memberNickname: string;
  lastMessageAt: Date;
  awaitingSince: Date | null;
}

export interface CareMessageRow {
  id: number;
  authorId: string;
  authorNickname: string;
  authorDisplayName: string | null;
  authorRole: Role;
  body: string;
  createdAt: Date;
}

const conversations = (db: Db) =>
  db('care_conversations as c').join('users as u', 'u.id', 'c.member_id').select('c.*', 'u.nickname');
const toConversation = (r: Record<string, unknown>): ConversationRow => ({
  id: r.id as string,
  subnetId: r.subnet_id as string,
  memberId: r.member_id as string,
  memberNickname: r.nickname as string,
  lastMessageAt: r.last_message_at as Date,
  awaitingSince: r.awaiting_since as Date | null,
});

export async function findConversation(db: Db, id: string): Promise<ConversationRow | undefined> {
  const r = await conversations(db).where('c.id', id).first();
  return r ? toConversation(r) : undefined;
}

/** The conversations of these ids that exist (for notifications about them). */
export async function findConversations(db: Db, ids: readonly string[]): Promise<ConversationRow[]> {
  if (ids.length === 0) return [];
  return (await conversations(db).whereIn('c.id', ids)).map(toConversation);
}

export async function findConversationOf(
  db: Db,
  subnetId: string,
  memberId: string,
): Promise<ConversationRow | undefined> {
  const r = await conversations(db).where({ 'c.subnet_id': subnetId, 'c.member_id': memberId }).first();
  return r ? toConversation(r) : undefined;
}

/** Creates the member's conversation in a subnet if it does not exist yet; returns its id. */
export async function ensureConversation(db: Db, subnetId: string, memberId: string): Promise<string> {
  await db('care_conversations')
    .insert({ subnet_id: subnetId, member_id: memberId })
    .onConflict(['subnet_id', 'member_id'])
    .ignore();
  const row = await db('care_conversations').where({ subnet_id: subnetId, member_id: memberId }).first('id');
  return row.id;
}

export async function listMessages(db: Db, conversationId: string): Promise<CareMessageRow[]> {
  const rows = await db('care_messages as m')
    .join('users as u', 'u.id', 'm.author_id')
    .where('m.conversation_id', conversationId)
    .orderBy('m.id')
    .select('m.id', 'm.author_id', 'm.body', 'm.created_at', 'u.nickname', 'u.display_name', 'u.role');
  return rows.map((r) => ({
    id: Number(r.id),
    authorId: r.author_id,
    authorNickname: r.nickname,
    authorDisplayName: r.display_name,
    authorRole: r.role,
    body: r.body,
    createdAt: r.created_at,
  }));
}

/** Adds a message and keeps "awaiting a reply since" right: set by the member's first unanswered message, cleared by an answer. */
export async function insertCareMessage(
  db: Db,
  conversationId: string,
  authorId: string,
  body: string,
  fromMember: boolean,
): Promise<void> {
  await db('care_messages').insert({ conversation_id: conversationId, author_id: authorId, body });
  await db('care_conversations')
    .where({ id: conversationId })
    .update({
      last_message_at: db.fn.now(),
      awaiting_since: fromMember ? db.raw('coalesce(awaiting_since, now())') : null,
    });
}

/** Conversations of a subnet: those awaiting a reply (oldest first), then the rest by recent activity. */
export async function listConversations(db: Db, subnetId: string, limit = 100): Promise<ConversationRow[]> {
  const rows = await conversations(db)
    .where('c.subnet_id', subnetId)
    .orderByRaw('c.awaiting_since IS NULL, c.awaiting_since ASC, c.last_message_at DESC')
    .limit(limit);
  return rows.map(toConversation);
}
