import type { Db } from '../db/knex.js';

// The one module that reads and writes the `session` table (connect-pg-simple's store writes it
// too; the person's own preload in session-user.ts and the chat send's one query read it in SQL).

/** Deletes every session of a person (suspension, logout everywhere). Returns how many. */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  return db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]).delete();
}

/**
 * Moves a live session's expiry to `idleMs` from now: a chat action counts as activity, as a page
 * does. An ended session stays ended. Only the expiry column moves (as the store's own touch does).
 */
export async function extendSession(db: Db, sid: string, idleMs: number): Promise<void> {
  await db('session')
    .where({ sid })
    .where('expire', '>', db.fn.now())
    .update({ expire: db.raw('now() + make_interval(secs => ?)', [idleMs / 1000]) });
}

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
  const rows = await db('session')
    .whereRaw("sess -> 'passport' ->> 'user' = ?", [userId])
    .where('expire', '>', db.fn.now())
    .orderBy('expire', 'desc')
    .select('sid', 'sess', 'expire');
  return rows.map((r) => {
    const sess = (typeof r.sess === 'string' ? JSON.parse(r.sess) : r.sess) as { device?: string; createdAt?: number };
    return {
      sid: r.sid,
      device: sess.device ?? 'Unknown device',
      createdAt: sess.createdAt ? new Date(sess.createdAt) : null,
      lastActiveAt: new Date(new Date(r.expire).getTime() - idleMs),
    };
  });
}

/** Ends sessions of a person: one by id, or all but one. Returns the ended session ids. */
export async function endSessions(
  db: Db,
  userId: string,
  which: { sid: string } | { allBut: string | null },
): Promise<string[]> {
  const q = db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]);
  if ('sid' in which) q.where('sid', which.sid);
  else if (which.allBut) q.whereNot('sid', which.allBut);
  const rows: { sid: string }[] = await q.delete().returning('sid');
  return rows.map((r) => r.sid);
}

/** A live session's expiry; undefined when it has ended (expired, signed out, or ended elsewhere). */
export async function findLiveSessionExpiry(db: Db, sid: string): Promise<Date | undefined> {
  const row = await db('session')
    .where({ sid })
    .where('expire', '>', db.fn.now())
    .first<{ expire: Date } | undefined>('expire');
  return row?.expire;
}

/** Which of these sessions are still live. */
export async function listLiveSessionIds(db: Db, sids: readonly string[]): Promise<string[]> {
  return db('session').whereIn('sid', sids).where('expire', '>', db.fn.now()).pluck('sid');
}

/** The people whose SHaRON sessions came from this provider session (back-channel logout by `sid`). */
export async function findUsersByProviderSession(db: Db, sid: string): Promise<string[]> {
  const rows: { user_id: string }[] = await db('session')
    .whereRaw("sess ->> 'oidcSid' = ?", [sid])
    .distinct(db.raw("sess -> 'passport' ->> 'user' AS user_id"));
  return rows.map((r) => r.user_id).filter(Boolean);
}
