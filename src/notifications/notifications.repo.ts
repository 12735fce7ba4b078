import type { Db } from '../db/knex.js';

export const NOTIFICATION_KINDS = [
  'thread_reply',
  'care_reply',
  'report_outcome',
  'post_approved',
  'post_declined',
  'alert_escalated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a notification can be about (a CHECK on notifications.target_kind holds the table to this list). */
export const NOTIFICATION_TARGET_KINDS = ['room', 'thread', 'reply', 'care_conversation'] as const;
export type NotificationTargetKind = (typeof NOTIFICATION_TARGET_KINDS)[number];

/** A reference to what a notification is about: its words are built from it at read time, never stored. */
export interface NotificationTargetRef {
  kind: NotificationTargetKind;
  id: string;
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  link: string;
  roomId?: string | null;
  subnetId?: string | null;
  target?: NotificationTargetRef | null;
}

export interface NotificationRow {
  id: number;
  userId: string;
  kind: NotificationKind;
  link: string;
  roomId: string | null;
  subnetId: string | null;
  target: NotificationTargetRef | null;
  createdAt: Date;
  readAt: Date | null;
}

const toColumns = (n: NewNotification) => ({
  user_id: n.userId,
  kind: n.kind,
  link: n.link,
  room_id: n.roomId ?? null,
  subnet_id: n.subnetId ?? null,
  target_kind: n.target?.kind ?? null,
  target_id: n.target?.id ?? null,
});

export async function insertNotification(db: Db, n: NewNotification): Promise<number> {
  const [row] = await db('notifications').insert(toColumns(n)).returning('id');
  return Number(row.id);
}

/** Several notifications in one statement (inside the caller's transaction when given one). */
export async function insertNotifications(db: Db, list: readonly NewNotification[]): Promise<void> {
  if (list.length === 0) return;
  await db('notifications').insert(list.map(toColumns));
}

function toRow(r: Record<string, unknown>): NotificationRow {
  return {
    id: Number(r.id),
    userId: r.user_id as string,
    kind: r.kind as NotificationKind,
    link: r.link as string,
    roomId: r.room_id as string | null,
    subnetId: r.subnet_id as string | null,
    target: r.target_kind ? { kind: r.target_kind as NotificationTargetKind, id: r.target_id as string } : null,
    createdAt: r.created_at as Date,
    readAt: r.read_at as Date | null,
  };
}

/** A person's notifications, newest first (unread only when asked). */
export async function listNotifications(
  db: Db,
  userId: string,
  opts: { unreadOnly?: boolean; limit: number; offset?: number },
): Promise<NotificationRow[]> {
  const q = db('notifications')
    .where({ user_id: userId })
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset ?? 0);
  if (opts.unreadOnly) q.whereNull('read_at');
  return (await q).map(toRow);
}

export async function findNotification(db: Db, id: number): Promise<NotificationRow | undefined> {
  const r = await db('notifications').where({ id }).first();
  return r ? toRow(r) : undefined;
}

export async function markRead(db: Db, userId: string, ids: number[] | 'all'): Promise<void> {
  const q = db('notifications').where({ user_id: userId }).whereNull('read_at');
  if (ids !== 'all') q.whereIn('id', ids);
  await q.update({ read_at: db.fn.now() });
}
