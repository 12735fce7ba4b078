import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import { findRoomsOfSubnets, findSubnets, type RoomSummary } from '../building/building.service.js';
import { threadsForNotices } from '../noticeboard/noticeboard.service.js';
import { openableConversations } from '../care-team/care-team.service.js';
import { canSeeRoom, isCurrent } from '../policy/index.js';
import type { NotificationKind, NotificationRow, NotificationTargetKind } from './notifications.repo.js';

/**
 * What a notification is about, read now from the current names and checked against the policy
 * now: never stored as text, so a renamed room shows its new name and nothing leaks a title to
 * someone who may no longer read it.
 */
export interface About {
  /** "Anorexia living room (Eating disorders service)", or the service alone; null when unknown or not theirs. */
  where: string | null;
  /** The thread's title, only while the person may read the thread. */
  title: string | null;
  /** The reply was written by staff (a thread_reply about a reply). */
  byStaff: boolean;
  /** Following it now would show the target (the policy's answer today). */
  available: boolean;
  targetKind: NotificationTargetKind | null;
}

/** A notification as its list shows it: its words (built now) and whether it can still be followed. */
export interface ShownNotification extends NotificationRow {
  text: string;
  available: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const idsOf = (rows: readonly NotificationRow[], kind: NotificationTargetKind) =>
  rows.flatMap((r) => (r.target?.kind === kind && UUID.test(r.target.id) ? [r.target.id] : []));

/** What the notification says: where (room, thread or service), never what anyone wrote. */
export function notificationText(kind: NotificationKind, a: About): string {
  const where = a.where ? ` in ${a.where}` : '';
  const inThread = a.title !== null ? ` in the thread ‘${a.title}’` : '';
  const post = a.targetKind === 'thread' || a.targetKind === 'reply' ? 'post' : 'message';
  const text = ((): string => {
    switch (kind) {
      case 'thread_reply':
        return `${a.byStaff ? 'A staff member' : 'Someone'} replied to your thread${a.title !== null ? ` ‘${a.title}’` : ''}${where}`;
      case 'care_reply':
        return `Your care team${a.where ? ` at ${a.where}` : ''} replied`;
      case 'report_outcome':
        return `The moderators have dealt with a ${post} you reported${inThread}${where}`;
      case 'post_approved':
        return `A moderator approved your ${post}${inThread}${where}: everyone can see it now`;
      case 'post_declined':
        return `A moderator declined your ${post}${inThread}${where}: it was not posted`;
      case 'alert_escalated':
        return `An alert${where} has waited too long without anyone acknowledging it`;
      default: {
        const never: never = kind;
        return never;
      }
    }
  })();
  return a.available ? text : `${text} (no longer available)`;
}

/**
 * The person's notifications with their words, read at read time. One pointing into a room their
 * key no longer opens is left out (lists agree with the single-object check); one whose thread or
 * conversation is gone, or no longer theirs, stays with `available: false` and names no title.
 */
export async function describeNotifications(
  db: Db,
  actor: SessionUser,
  rows: readonly NotificationRow[],
  now: Date,
): Promise<ShownNotification[]> {
  if (rows.length === 0) return [];
  const subnetIds = actor.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId);
  const [rooms, subnets, conversations] = await Promise.all([
    visibleRooms(db, actor, subnetIds, now),
    findSubnets(db, subnetIds),
    openableConversations(db, actor, idsOf(rows, 'care_conversation'), now),
  ]);
  const { threads, replies } = await threadsForNotices(
    db,
    actor,
    { threadIds: idsOf(rows, 'thread'), replyIds: idsOf(rows, 'reply') },
    rooms,
    now,
  );
  const serviceName = new Map(subnets.map((s) => [s.id, s.name]));
  const place = (roomId: string | null | undefined): string | null => {
    const room = roomId ? rooms.get(roomId) : undefined;
    return room ? `${room.name} (${serviceName.get(room.subnetId) ?? ''})` : null;
  };
  const about = (r: NotificationRow): About => {
    const base = { where: place(r.roomId), title: null, byStaff: false, available: true, targetKind: null };
    if (!r.target) return base;
    const { kind, id } = r.target;
    if (kind === 'room') return { ...base, where: place(id), available: rooms.has(id), targetKind: kind };
    if (kind === 'care_conversation') {
      const subnet = conversations.get(id);
      return { ...base, where: subnet?.name ?? null, available: subnet !== undefined, targetKind: kind };
    }
    const reply = kind === 'reply' ? replies.get(id) : undefined;
    const thread = threads.get(kind === 'reply' ? (reply?.threadId ?? '') : id);
    if (!thread) return { ...base, byStaff: reply?.byStaff ?? false, available: false, targetKind: kind };
    return {
      where: place(thread.roomId),
      title: thread.title,
      byStaff: reply?.byStaff ?? false,
      available: true,
      targetKind: kind,
    };
  };
  return rows
    .filter((r) => r.roomId === null || rooms.has(r.roomId))
    .map((r) => {
      const a = about(r);
      return { ...r, text: notificationText(r.kind, a), available: a.available };
    });
}

/** The rooms the person may see now (the policy's answer), by id. */
export async function visibleRooms(
  db: Db,
  actor: SessionUser,
  subnetIds: readonly string[],
  now: Date,
): Promise<Map<string, RoomSummary>> {
  return new Map(
    (await findRoomsOfSubnets(db, [...subnetIds]))
      .filter((r) => canSeeRoom(actor, r, now).allowed)
      .map((r) => [r.id, r]),
  );
}
