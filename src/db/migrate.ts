import type pg from 'pg';
import type { Db } from './knex.js';
import { migrationSource } from '../../migrations/index.js';

/** Any fixed number: the advisory lock that lets one app process at a time migrate. */
const MIGRATION_LOCK = 4_127_001;

/**
 * Brings the schema up to date. Safe to run on every start, by several app processes at once
 * (replicas starting together): a PostgreSQL advisory lock, held on a connection of its own, lets
 * one migrate while the others wait, then find nothing left to do.
 */
export async function migrateLatest(db: Db): Promise<void> {
  const conn = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await db.migrate.latest({ migrationSource });
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
}
