import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { clientSettings, connectionIsSuspect, REQUEST_TIMEOUTS, type DbTimeouts } from './connection.js';

// timestamptz columns come back as Date; bigint counts as numbers (counts here never pass 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' (no time-zone shifts).
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);

export type Db = Knex;

/**
 * Creates the knex instance (and its pool) for a connection string. Request work gets the request
 * timeouts; migrations, retention and data generation pass MAINTENANCE_TIMEOUTS.
 * A connection that failed in a way that may leave it stuck or on a read-only server is not reused.
 */
export function createDb(connectionString: string, poolMax = 10, timeouts: DbTimeouts = REQUEST_TIMEOUTS): Db {
  const suspect = new WeakSet<pg.Client>();
  return knexFactory({
    client: 'pg',
    connection: clientSettings(connectionString, 'sharon', timeouts),
    acquireConnectionTimeout: timeouts.acquireMs,
    // knex would print connection failures with their stacks to the console, outside the JSON
    // log; each failure reaches its caller as a rejected query, which handles and logs it.
    log: { warn: noLog, error: noLog, deprecate: noLog, debug: noLog },
    pool: {
      min: 0,
      max: poolMax,
      // random_page_cost 1.1: storage is SSD (the default, 4, models spinning disks and makes
      // the planner prefer walking the primary key over a selective index).
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        markSuspectOnError(conn, suspect);
        conn.query('SET random_page_cost = 1.1', (err) => done(err, conn));
      },
      // Checked as a connection leaves the pool: one still waiting for an answer (its query timed
      // out on a stalled link) or one that failed suspiciously is closed, and a new one is made.
      validate: (conn: pg.Client) =>
        !suspect.has(conn) && (conn as unknown as { readyForQuery?: boolean }).readyForQuery === true,
    },
  });
}

function noLog(): void {
  // intentionally silent: see createDb
}

/** Watches a connection's query results and remembers it if one failed with a suspect error. */
function markSuspectOnError(conn: pg.Client, suspect: WeakSet<pg.Client>): void {
  const query = conn.query.bind(conn) as (...args: unknown[]) => unknown;
  const mark = (err: unknown) => {
    if (err && connectionIsSuspect(err)) suspect.add(conn);
  };
  const watched = (...args: unknown[]): unknown => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        mark(err);
        (last as (err: unknown, res: unknown) => void)(err, res);
      };
      return query(...args);
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(mark);
    return result;
  };
  Object.assign(conn, { query: watched });
}
