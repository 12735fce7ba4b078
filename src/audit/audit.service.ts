import type { Request } from 'express';
import type { Db } from '../db/knex.js';
import { csvRows } from '../http/csv.js';
import { insertAudit, listAudit, type AuditEntry, type AuditFilter, type AuditRow } from './audit.repo.js';

/** The actions the audit log can be filtered by. */
export { listAuditActions } from './audit.repo.js';
export type { AuditFilter, AuditRow } from './audit.repo.js';

/** Who did it and from where, taken from the request. */
export interface AuditContext {
  actorId: string | null;
  ip: string | null;
}

/** The audit context of a request (the signed-in person, the client address as trusted). */
export function auditContext(req: Request): AuditContext {
  return { actorId: req.user?.id ?? null, ip: req.ip ?? null };
}

/** Writes one audit row for a request, inside `db` (pass a transaction to make it atomic). */
export function recordAudit(db: Db, ctx: AuditContext, entry: Omit<AuditEntry, 'actorId' | 'ip'>): Promise<void> {
  return insertAudit(db, { ...entry, actorId: ctx.actorId, ip: ctx.ip });
}

/** What the viewer asked for, recorded with its own access to the log (codes, dates and the names typed). */
const filterDetails = (f: AuditFilter) => ({
  actor: f.actor ?? null,
  action: f.action ?? null,
  target: f.targetId ?? null,
  from: f.from?.toISOString() ?? null,
  to: f.to?.toISOString() ?? null,
});

/**
 * One page of the audit log, newest first, with people and places named; the reading is itself
 * audited (`audit.view`, with the filter), so governance can see who looked at whom.
 */
export async function readAuditLog(
  db: Db,
  ctx: AuditContext,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<AuditRow[]> {
  const rows = await listAudit(db, filter, page.limit, page.offset);
  await recordAudit(db, ctx, {
    action: 'audit.view',
    details: { ...filterDetails(filter), offset: page.offset, rows: rows.length },
  });
  return rows;
}

const CSV_HEADER = [
  'id',
  'at',
  'actor_username',
  'actor_nickname',
  'action',
  'target_type',
  'target_id',
  'target_username',
  'target_nickname',
  'target_name',
  'service',
  'outcome',
  'refusal',
  'reason',
  'ip',
  'details',
] as const;

/** The filtered audit log as CSV, with the same names and reasons as the page; the export is audited (`audit.export`). */
export async function exportAuditLog(db: Db, ctx: AuditContext, filter: AuditFilter): Promise<string> {
  const rows = await listAudit(db, filter, 100_000, 0);
  const csv = csvRows(
    CSV_HEADER,
    rows.map((r) => [
      r.id,
      r.at,
      r.actorUsername,
      r.actorNickname,
      r.action,
      r.targetType,
      r.targetId,
      r.targetUsername,
      r.targetNickname,
      r.targetName,
      r.subnetName,
      r.outcome,
      r.reason,
      r.givenReason,
      r.ip,
      r.details,
    ]),
  );
  await recordAudit(db, ctx, { action: 'audit.export', details: { ...filterDetails(filter), rows: rows.length } });
  return csv;
}
