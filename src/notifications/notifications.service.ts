import type { Db } from '../db/knex.js';
import { afterCommit } from '../db/after-commit.js';
import type { SessionUser } from '../people/person.js';
import type { Realtime } from '../realtime/realtime.js';
import { notFound } from '../http/errors.js';
import { authorize, canReadNotification, isCurrent } from '../policy/index.js';
import { describeNotifications, visibleRooms, type ShownNotification } from './notification-labels.js';
import {
  findNotification,
  insertNotification,
  insertNotifications,
  listNotifications,
  markRead,
  type NewNotification,
} from './notifications.repo.js';

export type { NewNotification, NotificationTargetRef } from './notifications.repo.js';

export type { ShownNotification } from './notification-labels.js';

/**
 * Records a notification (inside the caller's transaction when given one) and, once it is
 * committed, tells the person's open pages to update their unread count (never, if it rolls back).
 */
export async function notify(db: Db, realtime: Realtime, n: NewNotification): Promise<void> {
  await insertNotification(db, n);
  afterCommit(db, () => realtime.emitToUser(n.userId, 'notification:new', { kind: n.kind }));
}

/**
 * Records notifications inside the caller's transaction and tells nobody yet: call
 * `announceNotifications` once the transaction has committed.
 */
export async function recordNotifications(db: Db, list: readonly NewNotification[]): Promise<void> {
  await insertNotifications(db, list);
}

/** Tells each person's open pages that a notification arrived (after the commit that stored it). */
export function announceNotifications(realtime: Realtime, list: readonly NewNotification[]): void {
  for (const n of list) realtime.emitToUser(n.userId, 'notification:new', { kind: n.kind });
}

/**
 * The person's notifications, each naming the room, thread or service it concerns as they are
 * called now; one pointing into a room their key no longer opens is not shown (lists agree with
 * the single-object check), one whose target is gone says so.
 */
export async function visibleNotifications(
  db: Db,
  actor: SessionUser,
  opts: { unreadOnly?: boolean; limit: number; offset?: number },
  now: Date,
): Promise<ShownNotification[]> {
  return describeNotifications(db, actor, await listNotifications(db, actor.id, opts), now);
}

/**
 * Opens one of the person's notifications: marks it read and returns where it leads, or null when
 * what it was about is gone or no longer theirs to see (the page then says so, naming nothing).
 * @throws HttpError 404 / PolicyDenied (hidden) when it is not the person's own.
 */
export async function openNotification(
  db: Db,
  actor: SessionUser,
  id: number,
  now: Date,
): Promise<{ link: string | null }> {
  const n = await findNotification(db, id);
  if (!n) throw notFound();
  authorize(canReadNotification(actor, n));
  const [shown] = await describeNotifications(db, actor, [n], now);
  await markRead(db, n.userId, [n.id]);
  return { link: shown?.available ? n.link : null };
}

/** The unread count shown in the header (the same filter as the list). */
export async function unreadCount(db: Db, actor: SessionUser, now: Date): Promise<number> {
  // The unread notifications' rooms came with the person (no query when none is about a room).
  const rooms = actor.unreadRoomIds;
  if (rooms.every((r) => r === null)) return rooms.length;
  const subnetIds = actor.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId);
  const visible = await visibleRooms(db, actor, subnetIds, now);
  return rooms.filter((r) => r === null || visible.has(r)).length;
}
