import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { erasePersonalData, type ErasureMode } from '../privacy/registry.js';

/**
 * Erases a member: every table in the personal-data registry (src/privacy/registry.ts) scrubs or
 * deletes its rows in one transaction with the audit row. Login, personal details, private
 * references, two-factor secrets, recovery codes, survey text and report reasons go; what they
 * wrote is kept under "Former member" (or its text removed, with ERASURE_CONTENT=remove). Sessions
 * and sockets end once it has committed. The audit row names the account id only.
 */
export async function eraseMember(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  userId: string,
  content: ErasureMode,
): Promise<void> {
  await db.transaction(async (trx) => {
    await erasePersonalData(trx, userId, content);
    await recordAudit(trx, ctx, {
      action: 'account.erase',
      targetType: 'user',
      targetId: userId,
      details: { content },
    });
  });
  realtime.disconnectUser(userId);
}

/** Deletes living-room messages older than each subnet's retention setting. Returns how many. */
export async function applyChatRetention(db: Db, now: Date): Promise<number> {
  const subnets: { id: string; days: number }[] = await db('subnets')
    .whereNotNull('chat_retention_days')
    .select('id', 'chat_retention_days as days');
  let total = 0;
  for (const s of subnets) {
    const cutoff = new Date(now.getTime() - s.days * 86_400_000);
    total += await db('messages')
      .whereIn('room_id', db('rooms').where({ subnet_id: s.id }).select('id'))
      .where('created_at', '<', cutoff)
      .delete();
  }
  return total;
}

/** The daily retention job, in process (safe on several nodes: a DELETE is idempotent). */
export function startRetentionJob(db: Db, onError: (e: unknown) => void, everyMs = 24 * 3_600_000): () => void {
  const run = () => void applyChatRetention(db, new Date()).catch(onError);
  const first = setTimeout(run, 60_000);
  const timer = setInterval(run, everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
