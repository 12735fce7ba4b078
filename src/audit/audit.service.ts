import type { Request } from 'express';
import type { Db } from '../db/knex.js';
import { insertAudit, type AuditEntry } from './audit.repo.js';

/** The audit log's pages for the admin (a filtered page of rows, and the actions it can filter by). */
export { listAudit, listAuditActions } from './audit.repo.js';

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
