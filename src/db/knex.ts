import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// timestamptz columns come back as Date; bigint counts as numbers (counts here never pass 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' (no time-zone shifts).
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type Db = Knex;

/** Creates the knex instance (and its pg pool) for a connection string. */
export function createDb(connectionString: string, poolMax = 10): Db {
  return knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: 'sharon' },
    pool: {
      min: 0,
      max: poolMax,
      // Planner settings for SHaRON's connections. random_page_cost 1.1: storage is SSD (the
      // default 4 models spinning disks, and then a room's history was read through the primary
      // key, 200 ms instead of 0.2 ms: measured with `npm run bench`). Generic plans for the
      // prepared hot queries (db/prepared.ts): all are by key, and planning cost more than running.
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('SET random_page_cost = 1.1; SET plan_cache_mode = force_generic_plan', (err) => done(err, conn));
      },
    },
  });
}
