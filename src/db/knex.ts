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
      // random_page_cost 1.1: storage is SSD (the default, 4, models spinning disks and makes
      // the planner prefer walking the primary key over a selective index).
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.query('SET random_page_cost = 1.1', (err) => done(err, conn));
      },
    },
  });
}
