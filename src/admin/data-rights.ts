import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { deleteSessionsOfUser } from '../auth/sessions.repo.js';

/**
 * Erases a member: login, personal details and private references removed; what they wrote is
 * kept under "Former member" (or removed, with ERASURE_CONTENT=remove). Sessions and sockets end.
 * Audited (the audit row names the account id only).
 */
export async function eraseMember(db: Db, realtime: Realtime, ctx: AuditContext, userId: string, content: 'keep' | 'remove'): Promise<void> {
  await db.transaction(async (trx) => {
    const tag = userId.replace(/-/g, '').slice(0, 8);
    // No nickname skeleton: the old nickname's look-alikes are free again, and "Former member" tags never block anyone.
    await trx('users').where({ id: userId }).update({
      username: `erased-${tag}`, nickname: `Former member ${tag}`, nickname_skeleton: null, display_name: null, password_hash: null, status: 'erased', status_changed_at: trx.fn.now(), last_seen_at: null,
    });
    await trx('memberships').where({ user_id: userId }).update({ private_reference: null, ends_at: trx.fn.now() });
    await trx('invitation_keys').where({ redeemed_by: userId }).update({ private_reference: null });
    await trx('notifications').where({ user_id: userId }).delete();
    await trx('survey_snoozes').where({ user_id: userId }).delete();
    if (content === 'remove') {
      for (const table of ['messages', 'threads', 'replies']) await trx(table).where({ author_id: userId }).whereNot('status', 'removed').update({ status: 'removed', moderation_reason: 'erased' });
      await trx('care_messages').where({ author_id: userId }).update({ body: '(removed at the member\'s request)' });
    }
    await deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, ctx, { action: 'account.erase', targetType: 'user', targetId: userId, details: { content } });
  });
  realtime.disconnectUser(userId);
}

/** Deletes living-room messages older than each subnet's retention setting. Returns how many. */
export async function applyChatRetention(db: Db, now: Date): Promise<number> {
  const subnets: { id: string; days: number }[] = await db('subnets').whereNotNull('chat_retention_days').select('id', 'chat_retention_days as days');
  let total = 0;
  for (const s of subnets) {
    const cutoff = new Date(now.getTime() - s.days * 86_400_000);
    total += await db('messages').whereIn('room_id', db('rooms').where({ subnet_id: s.id }).select('id')).where('created_at', '<', cutoff).delete();
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
