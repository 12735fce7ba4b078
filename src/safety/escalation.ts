import type { Db } from '../db/knex.js';
import type { Realtime } from '../chat/realtime.js';

/**
 * Escalates watched-word alerts nobody has acknowledged in time: each is marked once (the UPDATE
 * decides, so with several app processes only one escalates it) and sent to every staff member of
 * the subnet who is online, on duty or not. Pass `now` (tests control the clock).
 */
export async function escalateOverdueAlerts(db: Db, realtime: Realtime, now: Date, escalationMs: number): Promise<number> {
  const due = new Date(now.getTime() - escalationMs);
  const rows: { id: number; subnet_id: string }[] = await db('alerts')
    .whereNull('acknowledged_at')
    .whereNull('escalated_at')
    .where('created_at', '<=', due)
    .update({ escalated_at: now })
    .returning(['id', 'subnet_id']);
  for (const r of rows) realtime.emitToStaff(r.subnet_id, 'alert:escalated', { subnetId: r.subnet_id, alertId: Number(r.id) });
  return rows.length;
}

/** Runs the escalation every `everyMs` until stopped (in-process job; safe on several nodes). */
export function startEscalationJob(db: Db, realtime: Realtime, escalationMs: number, onError: (e: unknown) => void, everyMs = 30_000): () => void {
  const timer = setInterval(() => {
    escalateOverdueAlerts(db, realtime, new Date(), escalationMs).catch(onError);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
