import type { Db } from '../db/knex.js';
import type { Role } from '../policy/index.js';

export const MESSAGE_STATUSES = ['visible', 'held', 'removed', 'declined'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A message as stored, with its author's public face (nickname, and the role they wrote it with for the badge). */
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

/** What a page or a reader is shown of a message: no author id, no client id. */
export type ShownMessageRow = Omit<MessageRow, 'authorId' | 'clientId'>;

/** The columns a living-room page reads for each message (the room is the page's: not read per row). */
export const SHOWN = ['m.id', 'm.body', 'm.status', 'm.created_at', 'm.author_role', 'u.nickname', 'u.role'];

export const SELECT = [
  'm.id',
  'm.room_id',
  'm.author_id',
  'm.client_id',
  'm.body',
  'm.status',
  'm.created_at',
  'm.author_role',
  'u.nickname',
  'u.role',
];

export function toMessage(r: Record<string, unknown>): MessageRow {
  return {
    id: Number(r.id),
    roomId: r.room_id as string,
    authorId: r.author_id as string,
    authorNickname: r.nickname as string,
    // The role the author wrote with (the badge then, not now); the current role only for rows
    // written without it by other tools.
    authorRole: (r.author_role ?? r.role) as Role,
    clientId: r.client_id as string,
    body: r.body as string,
    status: r.status as MessageStatus,
    createdAt: r.created_at as Date,
  };
}

export interface NewMessage {
  roomId: string;
  authorId: string;
  /** The author's role now, kept with the message: its badge stays what it was when written. */
  authorRole: Role;
  clientId: string;
  body: string;
  status: 'visible' | 'held';
  heldReason: string | null;
}

/** The message an author sent with a client id (a retry finds its first try). */
export async function findMessageByClientId(
  db: Db,
  authorId: string,
  clientId: string,
): Promise<MessageRow | undefined> {
  const row = await db('messages as m')
    .join('users as u', 'u.id', 'm.author_id')
    .where({ 'm.author_id': authorId, 'm.client_id': clientId })
    .first(SELECT);
  return row ? toMessage(row) : undefined;
}

export async function findMessage(db: Db, id: number): Promise<MessageRow | undefined> {
  const row = await db('messages as m').join('users as u', 'u.id', 'm.author_id').where('m.id', id).first(SELECT);
  return row ? toMessage(row) : undefined;
}

/** Moves a message from one status to another; false when it was no longer in `from`. */
export async function setMessageStatus(
  db: Db,
  id: number,
  from: MessageStatus[],
  to: MessageStatus,
  by: string,
  reason: string | null,
): Promise<boolean> {
  const n = await db('messages')
    .where({ id })
    .whereIn('status', from)
    .update({ status: to, moderated_by: by, moderated_at: db.fn.now(), moderation_reason: reason });
  return n > 0;
}
