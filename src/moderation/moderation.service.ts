import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import {
  findRoomsOfSubnets,
  findSubnet,
  subnetFor,
  type RoomDetail,
  type SubnetSummary,
} from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { afterCommit } from '../db/after-commit.js';
import { authorize, canActInSubnet } from '../policy/index.js';
import type { Realtime } from '../realtime/realtime.js';
import { notify, type NotificationTargetRef } from '../notifications/notifications.service.js';
import { heldReasonLabel } from './held-reason.js';
import { findMuteUntil, findRulesForRoom, insertMeasureAlert, insertMute, insertReport } from './flags.repo.js';
import { announceMeasureAlert } from '../safety/support.js';
import type { WatchRule } from './watched-words.js';
import { loadRoomFor } from '../rooms/load-room.js';

export type { ReportOutcome } from './moderation.repo.js';
import {
  closeReports,
  findMessageRoomId,
  listHeldPosts,
  listOpenAlerts,
  listHeldMessages,
  listMeasureAlerts,
  listOpenReports,
  listPostFlags,
  messagesAround,
  type AlertRef,
  type QueueAlert,
  type QueueMeasureAlert,
  type QueueMessage,
  type QueuePost,
  type QueueReport,
  type ReportOutcome,
  type ReportTarget,
} from './moderation.repo.js';

export interface ModerationQueue {
  subnet: SubnetSummary;
  /** The subnet's rooms, for the room filter, and the one it shows (null: every room). */
  rooms: { id: string; name: string }[];
  roomId: string | null;
  reports: (QueueReport & { context: QueueMessage[] })[];
  /** Held messages, each with the rule that held it in words ("Phone numbers"). */
  held: (QueueMessage & { heldBy: string })[];
  alerts: QueueAlert[];
  /** Alerts on members' answers to measures (PHQ-9 item 9): the subnet's, whatever the room filter. */
  measureAlerts: QueueMeasureAlert[];
  heldPosts: QueuePost[];
  postReports: Awaited<ReturnType<typeof listPostFlags>>;
  postAlerts: Awaited<ReturnType<typeof listPostFlags>>;
}

/**
 * The moderation queue of a subnet: open reports newest first (each with the messages around
 * it), held messages (each with the rule that held it) and unacknowledged alerts, oldest first;
 * all of them, or those of one of its rooms (`roomId`).
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone but the subnet's staff, or a room not of the subnet.
 */
export async function moderationQueue(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  now: Date,
  escalationMs: number,
  roomId: string | null = null,
): Promise<ModerationQueue & { overdueBefore: Date }> {
  const subnet = await subnetFor(db, actor, subnetId, 'moderate_subnet', now);
  const rooms = (await findRoomsOfSubnets(db, [subnet.id])).map((r) => ({ id: r.id, name: r.name }));
  if (roomId !== null && !rooms.some((r) => r.id === roomId)) throw notFound();
  const scope = { subnetId: subnet.id, roomId };
  const [reports, held, alerts, measureAlerts, heldPosts, postReports, postAlerts] = await Promise.all([
    listOpenReports(db, scope),
    listHeldMessages(db, scope),
    listOpenAlerts(db, scope),
    listMeasureAlerts(db, subnet.id),
    listHeldPosts(db, scope),
    listPostFlags(db, scope, 'reports'),
    listPostFlags(db, scope, 'alerts'),
  ]);
  const withContext = await Promise.all(
    reports.map(async (r) => ({ ...r, context: await messagesAround(db, r.message.roomId, r.message.id) })),
  );
  // An alert older than this, still unacknowledged, is overdue (and has been escalated).
  return {
    subnet,
    rooms,
    roomId,
    reports: withContext,
    held: held.map((m) => ({ ...m, heldBy: heldReasonLabel(m.heldReason) })),
    alerts,
    measureAlerts,
    heldPosts,
    postReports,
    postAlerts,
    overdueBefore: new Date(now.getTime() - escalationMs),
  };
}

/** Audits a queue action that changes no message (dismiss a report, acknowledge an alert). */
export function auditQueueAction(
  db: Db,
  ctx: AuditContext,
  action: string,
  targetType: string,
  targetId: number,
): Promise<void> {
  return recordAudit(db, ctx, { action, targetType, targetId: String(targetId) });
}

/**
 * Closes reports with an outcome and tells each reporter that the moderators have dealt with it,
 * naming where (the room, or the thread when it is still there): `target`, the room by default.
 */
export async function closeReportsAndNotify(
  db: Db,
  realtime: Realtime,
  where: ReportTarget,
  by: string,
  outcome: ReportOutcome,
  link: string,
  room: QueueRoom,
  target: NotificationTargetRef = { kind: 'room', id: room.id },
): Promise<void> {
  const reporters = await closeReports(db, where, by, outcome);
  for (const userId of new Set(reporters))
    await notify(db, realtime, { userId, kind: 'report_outcome', link, roomId: room.id, target });
  if (reporters.length > 0) announceQueueChange(db, realtime, room, 'handled');
}

/** The room an item of the queue is in: which subnet's staff hear of a change, and for which room filter. */
export interface QueueRoom {
  id: string;
  subnetId: string;
}

/**
 * Tells the subnet's staff with an open page that its moderation queue changed (an item `added`,
 * or `handled` by someone), once what `db` wrote has committed; never the item's text.
 */
export function announceQueueChange(
  db: Db,
  realtime: Realtime,
  room: { id: string | null; subnetId: string },
  change: 'added' | 'handled',
): void {
  afterCommit(db, () =>
    realtime.emitToStaff(room.subnetId, 'queue:changed', { subnetId: room.subnetId, roomId: room.id, change }),
  );
}

/**
 * Raises an alert on a member's answer to a measure (e.g. `matched` "PHQ-9 item 9: Several days",
 * a fixed label, never free text) inside the caller's transaction `trx`, the one that stores the
 * response. Once that commits, the subnet's staff on duty and every staff member with an open page
 * hear of it at once, as of a watched-word alert (the staff home and the queue update live); on a
 * rollback nobody does. Returns the alert's id.
 * @throws when the response is not the subnet's (the transaction then rolls back).
 */
export async function raiseMeasureAlert(
  trx: Db,
  a: { subnetId: string; responseId: string | number; matched: string },
  realtime: Realtime,
): Promise<number> {
  const alert = await insertMeasureAlert(trx, a.subnetId, Number(a.responseId), a.matched);
  afterCommit(trx, () =>
    announceMeasureAlert(realtime, { subnetId: a.subnetId, userId: alert.userId, nickname: alert.nickname }),
  );
  return alert.id;
}

/** Mutes a member in a room until a time (inside the caller's transaction when given one). */
export function recordMute(
  db: Db,
  roomId: string,
  userId: string,
  by: string,
  until: Date,
  reason: string | null,
): Promise<void> {
  return insertMute(db, roomId, userId, by, until, reason);
}

/** When the member's mute in the room ends, or null. */
export function mutedUntil(db: Db, roomId: string, userId: string): Promise<Date | null> {
  return findMuteUntil(db, roomId, userId);
}

/** Records a member's report of a chat message; null when they had already reported it. */
export function recordMessageReport(
  db: Db,
  messageId: number,
  reporterId: string,
  reason: string,
): Promise<number | null> {
  return insertReport(db, messageId, reporterId, reason);
}

/** The watched-word rules in force in a room: the safety baseline, the subnet's and the room's own. */
export function rulesForRoom(db: Db, subnetId: string, roomId: string): Promise<WatchRule[]> {
  return findRulesForRoom(db, subnetId, roomId);
}

/**
 * The subnet of an alert on a member's answer to a measure, for a person who may moderate it (its
 * staff: the alert goes to the care team, as a watched-word alert does).
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone else.
 */
export async function measureAlertSubnet(
  db: Db,
  actor: SessionUser,
  alert: AlertRef,
  now: Date,
): Promise<SubnetSummary> {
  const subnet = alert.measure ? await findSubnet(db, alert.subnetId) : undefined;
  if (!subnet) throw notFound();
  authorize(canActInSubnet(actor, 'moderate_subnet', subnet, now));
  return subnet;
}

/**
 * The room of a reported or alerting chat message, for a person who may moderate it.
 * @throws HttpError 404 (no such message) / PolicyDenied.
 */
export async function messageRoomForModeration(
  db: Db,
  actor: SessionUser,
  messageId: number,
  now: Date,
): Promise<RoomDetail> {
  const roomId = await findMessageRoomId(db, messageId);
  if (!roomId) throw notFound();
  return loadRoomFor(db, actor, roomId, 'moderate', 'living_room', now);
}
