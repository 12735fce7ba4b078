import type { Db } from '../db/knex.js';
import { afterCommit } from '../db/after-commit.js';
import type { SessionUser } from '../people/person.js';
import type { Realtime } from '../realtime/realtime.js';
import { findRoomsOfSubnets } from '../building/building.service.js';
import { canSeeRoom, isCurrent } from '../policy/index.js';
import {
  insertNotification,
  insertNotifications,
  listNotifications,
  type NewNotification,
  type NotificationRow,
} from './notifications.repo.js';

export type { NewNotification } from './notifications.repo.js';

/** What each notification says: no message text ever, so nothing private travels in it. */
export const NOTIFICATION_TEXT: Record<NotificationRow['kind'], string> = {
  thread_reply: 'Someone replied to your thread',
  care_reply: 'Your care team answered your message',
  report_outcome: 'The moderators have dealt with a message you reported',
  post_approved: 'A moderator approved your post: everyone can see it now',
  post_declined: 'A moderator declined your post: it was not posted',
  alert_escalated: 'An alert has waited too long without anyone acknowledging it',
};

/** A notification as its list shows it: the room's name read now (never stored), and its words. */
export interface ShownNotification extends NotificationRow {
  roomName: string | null;
  text: string;
}

/** What a notification says, naming its room where that helps (the name is read at read time). */
export function notificationText(kind: NotificationRow['kind'], roomName: string | null): string {
  if (kind === 'alert_escalated' && roomName)
    return `An alert in ${roomName} has waited too long without anyone acknowledging it`;
  return NOTIFICATION_TEXT[kind];
}

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
 * The person's notifications that they may still follow: one pointing into a room their key no
 * longer opens is not shown (lists agree with the single-object check).
 */
export async function visibleNotifications(
  db: Db,
  actor: SessionUser,
  opts: { unreadOnly?: boolean; limit: number; offset?: number },
  now: Date,
): Promise<ShownNotification[]> {
  const rows = await listNotifications(db, actor.id, opts);
  const visible = rows.every((r) => r.roomId === null) ? new Map<string, string>() : await visibleRooms(db, actor, now);
  return rows
    .filter((r) => r.roomId === null || visible.has(r.roomId))
    .map((r) => {
      const roomName = r.roomId === null ? null : (visible.get(r.roomId) ?? null);
      return { ...r, roomName, text: notificationText(r.kind, roomName) };
    });
}

/** The rooms the person may see now (the policy's answer), by id, with their names. */
async function visibleRooms(db: Db, actor: SessionUser, now: Date): Promise<Map<string, string>> {
  const subnetIds = actor.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId);
  return new Map(
    (await findRoomsOfSubnets(db, subnetIds))
      .filter((r) => canSeeRoom(actor, r, now).allowed)
      .map((r) => [r.id, r.name]),
  );
}

/** The unread count shown in the header (the same filter as the list). */
export async function unreadCount(db: Db, actor: SessionUser, now: Date): Promise<number> {
  // The unread notifications' rooms came with the person (no query when none is about a room).
  const rooms = actor.unreadRoomIds;
  if (rooms.every((r) => r === null)) return rooms.length;
  const visible = await visibleRooms(db, actor, now);
  return rooms.filter((r) => r === null || visible.has(r)).length;
}
