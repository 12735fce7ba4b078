import type { Db } from './knex.js';
import { migrationSource } from '../../migrations/index.js';

/** Brings the schema up to date. Safe to run on every start: knex takes a lock. */
export async function migrateLatest(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
