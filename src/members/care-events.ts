import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';

export const CARE_EVENT_KINDS = ['admission', 'discharge', 'relapse', 'service_discharge'] as const;
export type CareEventKind = (typeof CARE_EVENT_KINDS)[number];
export const CARE_EVENT_LABELS: Record<CareEventKind, string> = {
  admission: 'Inpatient admission',
  discharge: 'Inpatient discharge',
  relapse: 'Relapse',
  service_discharge: 'Discharged from the service',
};

export interface CareEventRow {
  id: number;
  kind: CareEventKind;
  occurredOn: string;
  recordedByName: string;
}

/** A member's care events in a subnet, most recent first (clinicians only; members never see them). */
export async function listCareEvents(db: Db, userId: string, subnetId: string): Promise<CareEventRow[]> {
  const rows = await db('care_events as e')
    .join('users as u', 'u.id', 'e.recorded_by')
    .where({ 'e.user_id': userId, 'e.subnet_id': subnetId })
    .orderBy([
      { column: 'e.occurred_on', order: 'desc' },
      { column: 'e.id', order: 'desc' },
    ])
    .select('e.id', 'e.kind', 'e.occurred_on', db.raw('coalesce(u.display_name, u.nickname) as recorded_by_name'));
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    occurredOn: r.occurred_on,
    recordedByName: r.recorded_by_name,
  }));
}

/** Records a dated care event, audited in the same transaction. */
export async function recordCareEvent(
  db: Db,
  ctx: AuditContext,
  e: { userId: string; subnetId: string; kind: CareEventKind; occurredOn: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    const [row] = await trx('care_events')
      .insert({
        user_id: e.userId,
        subnet_id: e.subnetId,
        kind: e.kind,
        occurred_on: e.occurredOn,
        recorded_by: ctx.actorId,
      })
      .returning('id');
    await recordAudit(trx, ctx, {
      action: 'care_event.record',
      targetType: 'user',
      targetId: e.userId,
      details: { subnet_id: e.subnetId, kind: e.kind, event_id: Number(row.id) },
    });
  });
}
