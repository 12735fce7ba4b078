import type pg from 'pg';
import type { Logger } from '../log.js';

/**
 * Keeps the Socket.IO Postgres adapter's LISTEN connection alive across PostgreSQL restarts,
 * failovers and connection reapers.
 *
 * The adapter takes one client from its pool for LISTEN and never releases it. It reconnects when
 * that client ends, but adds no 'error' listener, so an ended connection ("terminating connection
 * due to administrator command") ended the whole process; it never notices a stalled link; and a
 * client whose LISTEN failed stays checked out for ever. The adapter offers no hook for any of
 * this, so it is given this wrapper in place of its pool (it only calls `connect` and `query`):
 * - every LISTEN client gets an 'error' listener, and is released (destroyed) when it fails;
 * - a heartbeat query on it notices a stalled or half-open connection and ends it;
 * - reconnection backs off (0.5 s doubling to 15 s, with jitter) and is logged, once when lost and
 *   once when back, with how long it was down;
 * - `onResume` tells the realtime layer, which asks its clients to catch up from the database
 *   (messages from other processes did not reach them meanwhile).
 */
export interface ListenConnection {
  /** What the adapter is given as its pool. */
  readonly pool: pg.Pool;
  /** Whether LISTEN is active now. */
  isUp(): boolean;
  /** When LISTEN last became active (ms since epoch), 0 before the first time. */
  upSince(): number;
  onResume(listener: () => void): void;
  close(): void;
}

interface Options {
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  maxBackoffMs?: number;
}

export function watchListenConnection(pool: pg.Pool, logger: Logger, opts: Options = {}): ListenConnection {
  const { heartbeatMs = 5_000, heartbeatTimeoutMs = 3_000, maxBackoffMs = 15_000 } = opts;
  let current: pg.PoolClient | undefined;
  let up = false;
  let upAt = 0;
  let lostAt = 0;
  let failures = 0;
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  const resumeListeners: (() => void)[] = [];

  const lost = (client: pg.PoolClient, reason: string, err?: Error) => {
    if (client !== current) return;
    current = undefined;
    up = false;
    clearInterval(heartbeat);
    if (!closed) {
      lostAt = Date.now();
      logger.warn('socket adapter LISTEN connection lost; reconnecting', {
        reason,
        code: (err as { code?: string } | undefined)?.code ?? 'none',
      });
    }
    client.release(err ?? new Error(reason));
    // On a stalled link 'end' might come only when TCP gives up: end it now, so the adapter
    // hears 'end' and schedules its reconnection.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };

  const listening = () => {
    if (up) return;
    up = true;
    upAt = Date.now();
    if (lostAt > 0) {
      logger.info('socket adapter LISTEN connection re-established; cross-process delivery resumed', {
        downMs: upAt - lostAt,
        attempts: failures + 1,
      });
      lostAt = 0;
      for (const l of resumeListeners) l();
    }
    failures = 0;
  };

  async function connect(): Promise<pg.PoolClient> {
    // A new request means the adapter gave up on the previous client (its LISTEN failed).
    if (current) lost(current, 'replaced');
    if (failures > 0) await delay(Math.min(maxBackoffMs, 500 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2));
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      failures += 1;
      logUnreachable(logger, failures, e);
      throw e;
    }
    if (closed) {
      client.release();
      throw new Error('closed');
    }
    current = client;
    releaseOnce(client, () => {
      if (client !== current) return;
      current = undefined;
      up = false;
      clearInterval(heartbeat);
    });
    client.on('error', (e) => lost(client, 'error', e));
    client.on('end', () => lost(client, 'ended'));
    watchForListen(client, listening);
    heartbeat = startHeartbeat(client, heartbeatMs, heartbeatTimeoutMs, (e) => lost(client, 'heartbeat', e));
    return client;
  }

  const adapterPool = { connect, query: pool.query.bind(pool) };
  return {
    // The adapter calls only connect() and query() on its pool.
    pool: adapterPool as unknown as pg.Pool,
    isUp: () => up,
    upSince: () => upAt,
    onResume: (l) => void resumeListeners.push(l),
    close() {
      closed = true;
      clearInterval(heartbeat);
    },
  };
}

/** Logs a failed connection attempt: the first, then every tenth, so a long outage does not flood the log. */
function logUnreachable(logger: Logger, attempts: number, e: unknown): void {
  if (attempts === 1 || attempts % 10 === 0)
    logger.warn('socket adapter cannot reach PostgreSQL; retrying', {
      attempts,
      code: (e as { code?: string }).code ?? 'none',
    });
}

/**
 * Runs a `SELECT 1` on the client every `everyMs`, which must answer within `timeoutMs`: a stalled
 * or half-open connection fails it, and `onFail` is told.
 */
function startHeartbeat(
  client: pg.PoolClient,
  everyMs: number,
  timeoutMs: number,
  onFail: (e: Error) => void,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    client.query({ text: 'SELECT 1', query_timeout: timeoutMs } as pg.QueryConfig).catch(onFail);
  }, everyMs);
  timer.unref();
  return timer;
}

/** Calls `onListen` when a LISTEN statement on this client has succeeded. */
function watchForListen(client: pg.PoolClient, onListen: () => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  Object.assign(client, {
    query: (...args: unknown[]) => {
      const result = query(...args);
      if (typeof args[0] === 'string' && args[0].startsWith('LISTEN') && result instanceof Promise)
        result.then(onListen, () => undefined);
      return result;
    },
  });
}

/**
 * Makes a client's release() act once (both this wrapper and the adapter may release it: twice
 * throws) and tells `onRelease` first.
 */
function releaseOnce(client: pg.PoolClient, onRelease: () => void): void {
  const release = client.release.bind(client);
  let released = false;
  client.release = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    onRelease();
    release(err);
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
