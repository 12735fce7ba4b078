import type { Db } from '../db/knex.js';

/** Deletes every session of a person (suspension, logout everywhere). Returns how many. */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  return db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]).delete();
}

/**
 * Moves a live session's expiry to `idleMs` from now: a chat action counts as activity, as a page
 * does. An ended session stays ended. Only the expiry column moves (as the store's own touch does).
 */
export async function extendSession(db: Db, sid: string, idleMs: number): Promise<void> {
  await db('session').where({ sid }).where('expire', '>', db.fn.now()).update({ expire: db.raw('now() + make_interval(secs => ?)', [idleMs / 1000]) });
}
