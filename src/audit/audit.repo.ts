import type { Db } from '../db/knex.js';

/** What came of an audited action (a CHECK on audit_log.outcome holds the table to this list). */
export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed', 'throttled'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome;
  reason?: string | null;
  ip?: string | null;
  /** Ids and codes only: never message text, passwords or real identities. */
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  reason: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Appends one audit row (inside the caller's transaction when given one). */
export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_id: e.actorId,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    outcome: e.outcome ?? 'ok',
    reason: e.reason ?? null,
    ip: e.ip ?? null,
    details: e.details ? JSON.stringify(e.details) : null,
  });
}

/** Newest first, filtered, one page. */
export async function listAudit(db: Db, f: AuditFilter, limit: number, offset: number): Promise<AuditRow[]> {
  const q = db('audit_log as a').leftJoin('users as u', 'u.id', 'a.actor_id');
  if (f.actor) q.whereRaw('lower(u.username) = lower(?)', [f.actor]);
  if (f.action) q.where('a.action', f.action);
  if (f.targetId) q.where('a.target_id', f.targetId);
  if (f.from) q.where('a.at', '>=', f.from);
  if (f.to) q.where('a.at', '<', f.to);
  const rows = await q
    .select('a.*', 'u.username as actor_username')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(offset);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    reason: r.reason,
    ip: r.ip,
    details: r.details,
  }));
}

/** The distinct actions recorded, for the filter's choices. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db('audit_log').distinct('action').orderBy('action');
  return rows.map((r: { action: string }) => r.action);
}
