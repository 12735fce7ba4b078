import type { Db } from '../db/knex.js';

export interface SessionRow {
  sid: string;
  device: string;
  createdAt: Date | null;
  lastActiveAt: Date;
}

/**
 * A person's live sessions. "Last active" is read from the rolling expiry (expiry minus the idle
 * timeout); the device is the coarse description stored at sign-in.
 */
export async function listSessionsOf(db: Db, userId: string, idleMs: number): Promise<SessionRow[]> {
  const rows = await db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]).where('expire', '>', db.fn.now()).orderBy('expire', 'desc').select('sid', 'sess', 'expire');
  return rows.map((r) => {
    const sess = (typeof r.sess === 'string' ? JSON.parse(r.sess) : r.sess) as { device?: string; createdAt?: number };
    return { sid: r.sid, device: sess.device ?? 'Unknown device', createdAt: sess.createdAt ? new Date(sess.createdAt) : null, lastActiveAt: new Date(new Date(r.expire).getTime() - idleMs) };
  });
}

/** Ends sessions of a person: one by id, or all but one. Returns the ended session ids. */
export async function endSessions(db: Db, userId: string, which: { sid: string } | { allBut: string | null }): Promise<string[]> {
  const q = db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]);
  if ('sid' in which) q.where('sid', which.sid);
  else if (which.allBut) q.whereNot('sid', which.allBut);
  const rows: { sid: string }[] = await q.delete().returning('sid');
  return rows.map((r) => r.sid);
}
