import pg from 'pg';
import type { Logger } from '../log.js';

/**
 * How long SHaRON waits for PostgreSQL. Request work fails fast (a person sees "unavailable" in
 * seconds, not a hung page) and recovers by itself: every pool reconnects on demand.
 */
export interface DbTimeouts {
  /** Opening a connection (TCP, TLS, authentication). */
  readonly connectMs: number;
  /** Waiting for a free connection from a pool. */
  readonly acquireMs: number;
  /** PostgreSQL's statement_timeout (0: none). */
  readonly statementMs: number;
  /**
   * The client's own limit on a query's answer (0: none). A stalled network path never reaches
   * PostgreSQL's statement_timeout, so only this notices it.
   */
  readonly readMs: number;
}

/** Request work: pages, socket events, sign-in. DB_*_MS in config.ts override these. */
export const REQUEST_TIMEOUTS: DbTimeouts = Object.freeze({
  connectMs: 2_000,
  acquireMs: 3_000,
  statementMs: 5_000,
  readMs: 6_000,
});

/**
 * Migrations, retention, backups' checks and the benchmark's data generation: long statements are
 * expected, so no statement or read limit; connecting still fails fast.
 */
export const MAINTENANCE_TIMEOUTS: DbTimeouts = Object.freeze({
  connectMs: 5_000,
  acquireMs: 60_000,
  statementMs: 0,
  readMs: 0,
});

/** /healthz: an answer within about a second, whatever the database is doing. */
export const HEALTH_TIMEOUTS: DbTimeouts = Object.freeze({
  connectMs: 800,
  acquireMs: 800,
  statementMs: 500,
  readMs: 800,
});

/** The pg client settings for a connection string, named for pg_stat_activity, with the timeouts. */
export function clientSettings(
  url: string,
  name: string,
  t: DbTimeouts,
  options?: string,
): Omit<pg.ClientConfig, 'types'> {
  return {
    connectionString: url,
    application_name: name,
    connectionTimeoutMillis: t.connectMs,
    ...(t.statementMs > 0
      ? { statement_timeout: t.statementMs, idle_in_transaction_session_timeout: t.statementMs * 2 }
      : {}),
    ...(t.readMs > 0 ? { query_timeout: t.readMs } : {}),
    // Notices a peer that vanished (a failover) on connections that wait, such as LISTEN.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options ? { options } : {}),
  };
}

/**
 * A pg pool with an error listener. pg-pool re-emits an idle connection's error (PostgreSQL
 * restarted, a reaper or a failover ended the connection) on the pool, and an EventEmitter with no
 * 'error' listener ends the process: here it is logged and the pool reconnects on next use.
 */
export function createPool(
  url: string,
  opts: { name: string; max: number; timeouts?: DbTimeouts; logger?: Logger; options?: string },
): pg.Pool {
  const t = opts.timeouts ?? REQUEST_TIMEOUTS;
  // pg-pool's connectionTimeoutMillis covers both waiting for a free client and connecting.
  const pool = new pg.Pool({
    ...clientSettings(url, opts.name, t, opts.options),
    max: opts.max,
    connectionTimeoutMillis: Math.max(t.connectMs, t.acquireMs),
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (e: Error & { code?: string }) =>
    opts.logger?.warn('database connection lost while idle', { pool: opts.name, code: e.code ?? 'none' }),
  );
  return pool;
}

// Connection-level failures: PostgreSQL is down, restarting, read-only, out of connections, too
// slow, or the network path is gone. Each means "unavailable" (503), never "internal" (500).
const UNAVAILABLE_CODES = new Set([
  '25006', // read_only_sql_transaction: a standby, or a primary being failed over
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57P04', // database_dropped
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated', // pg: "unexpectedly" or "due to connection timeout"
  'Query read timeout', // pg's query_timeout
  'timeout exceeded when trying to connect', // pg-pool
  'not queryable', // pg: a client whose connection already failed
  'Cannot use a pool after calling end', // during shutdown
  'Timeout acquiring a connection', // knex: the pool is exhausted
  'Unable to acquire a connection', // knex: destroyed during shutdown
  'read ECONNRESET',
  'the database system is', // "starting up", "shutting down", "in recovery mode"
];

/** Whether an error means the database cannot do this work now (as opposed to a bug or bad input). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; name?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m))) return true;
  // Node's AggregateError (a connection refused on both IPv4 and IPv6).
  return Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable);
}

/**
 * Whether a connection that produced this error should be thrown away rather than reused: it may
 * still be waiting for a stalled answer, or be connected to a server that is now read-only (a
 * failover moves the address to the new primary; a new connection follows it).
 */
export function connectionIsSuspect(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return isDatabaseUnavailable(err) && code !== '57014' && code !== '53300';
}
