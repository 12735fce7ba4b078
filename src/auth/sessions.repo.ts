import type { Db } from '../db/knex.js';

/** Deletes every session of a person (suspension, logout everywhere). Returns how many. */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<number> {
  return db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [userId]).delete();
}
