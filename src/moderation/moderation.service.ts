import type { Db } from '../db/knex.js';
import type { SessionUser } from '../auth/users.repo.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { findSubnet, type SubnetSummary } from '../building/building.repo.js';
import { notFound } from '../http/errors.js';
import { authorize, decideSubnet } from '../policy/index.js';
import { listOpenAlerts, listHeldMessages, listOpenReports, messagesAround, type QueueAlert, type QueueMessage, type QueueReport } from './moderation.repo.js';

export interface ModerationQueue {
  subnet: SubnetSummary;
  reports: (QueueReport & { context: QueueMessage[] })[];
  held: QueueMessage[];
  alerts: QueueAlert[];
}

/**
 * The moderation queue of a subnet: open reports newest first (each with the messages around
 * it), held messages and unacknowledged alerts, oldest first.
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone but the subnet's staff.
 */
export async function moderationQueue(db: Db, actor: SessionUser, subnetId: string, now: Date): Promise<ModerationQueue> {
  const subnet = await findSubnet(db, subnetId);
  if (!subnet) throw notFound();
  authorize(decideSubnet(actor, 'moderate_subnet', subnet, now));
  const [reports, held, alerts] = await Promise.all([listOpenReports(db, subnet.id), listHeldMessages(db, subnet.id), listOpenAlerts(db, subnet.id)]);
  const withContext = await Promise.all(reports.map(async (r) => ({ ...r, context: await messagesAround(db, r.message.roomId, r.message.id) })));
  return { subnet, reports: withContext, held, alerts };
}

/** Audits a queue action that changes no message (dismiss a report, acknowledge an alert). */
export function auditQueueAction(db: Db, ctx: AuditContext, action: string, targetType: string, targetId: number): Promise<void> {
  return recordAudit(db, ctx, { action, targetType, targetId: String(targetId) });
}
