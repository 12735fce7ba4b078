import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { announceNotifications, recordNotifications } from '../notifications/notifications.service.js';
import type { NewNotification } from '../notifications/notifications.service.js';
import { canActInSubnet } from '../policy/index.js';
import { markOverdueAlerts, staffCandidates, type EscalatedAlert } from './escalation.repo.js';

/**
 * Escalates watched-word alerts nobody has acknowledged in time. In one transaction each is marked
 * once (the UPDATE decides, so with several app processes only one escalates it) and stored as a
 * notification for every staff member of its subnet (kind and ids only, never text), so staff who
 * arrive later find it in their notifications. Once that has committed, it goes live to every
 * staff member of the subnet with an open page, on duty or not. Pass `now` (tests control the clock).
 */
export async function escalateOverdueAlerts(
  db: Db,
  realtime: Realtime,
  now: Date,
  escalationMs: number,
): Promise<number> {
  const due = new Date(now.getTime() - escalationMs);
  const { alerts, notifications } = await db.transaction(async (trx) => {
    const marked = await markOverdueAlerts(trx, due, now);
    const list = notificationsFor(marked, await staffCandidates(trx, [...new Set(marked.map((a) => a.subnetId))]), now);
    await recordNotifications(trx, list);
    return { alerts: marked, notifications: list };
  });
  for (const a of alerts) {
    realtime.emitToStaffAndDuty(a.subnetId, 'alert:escalated', {
      subnetId: a.subnetId,
      alertId: a.id,
      roomId: a.roomId,
      roomName: a.roomName,
      link: a.roomId ? `/rooms/${a.roomId}` : null,
    });
  }
  announceNotifications(realtime, notifications);
  return alerts.length;
}

/** One notification per alert for each person the policy counts as staff of the alert's subnet now. */
function notificationsFor(
  alerts: EscalatedAlert[],
  staff: Awaited<ReturnType<typeof staffCandidates>>,
  now: Date,
): NewNotification[] {
  return alerts.flatMap((a) =>
    staff
      .filter((s) => canActInSubnet(s, 'moderate_subnet', { id: a.subnetId }, now).allowed)
      .map((s) => ({
        userId: s.id,
        kind: 'alert_escalated' as const,
        link: a.roomId ? `/rooms/${a.roomId}` : `/subnets/${a.subnetId}/moderation`,
        roomId: a.roomId,
        subnetId: a.subnetId,
        target: a.roomId ? { kind: 'room' as const, id: a.roomId } : null,
      })),
  );
}

/** Runs the escalation every `everyMs` until stopped (in-process job; safe on several nodes). */
export function startEscalationJob(
  db: Db,
  realtime: Realtime,
  escalationMs: number,
  onError: (e: unknown) => void,
  everyMs = 30_000,
): () => void {
  const timer = setInterval(() => {
    escalateOverdueAlerts(db, realtime, new Date(), escalationMs).catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
