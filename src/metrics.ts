import type { Knex } from 'knex';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics (one registry). Recording is cheap and always on; they are only
 * served when METRICS_PORT is set (src/monitoring/metrics-server.ts). Labels are route patterns,
 * statuses, pool names, subnet slugs and queue kinds: never a person, a message or a URL.
 */
export const registry = new Registry();

const httpDuration = new Histogram({
  name: 'sharon_http_request_duration_seconds',
  help: 'HTTP request duration by route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

const socketsConnected = new Gauge({
  name: 'sharon_sockets_connected',
  help: 'Socket.IO connections open in this process',
  registers: [registry],
});

const messagesPersisted = new Counter({
  name: 'sharon_messages_persisted_total',
  help: 'Living-room messages written to the database, by status (visible or held)',
  labelNames: ['status'] as const,
  registers: [registry],
});

const poolErrors = new Counter({
  name: 'sharon_db_pool_errors_total',
  help: 'Database pool errors: a connection that could not be made or acquired, or one lost while idle',
  labelNames: ['pool'] as const,
  registers: [registry],
});

type Waiting = () => number;
const waitingBy = new Map<string, Waiting>();

new Gauge({
  name: 'sharon_db_pool_waiting',
  help: 'Requests waiting for a free database connection, by pool',
  labelNames: ['pool'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, waiting] of waitingBy) this.set({ pool }, waiting());
  },
});

/** Records one answered HTTP request (src/http/request-log.ts). */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  httpDuration.observe({ method, route, status: String(status) }, seconds);
}

/** A socket connected; the returned function is called once when it disconnects. */
export function socketOpened(): () => void {
  socketsConnected.inc();
  let open = true;
  return () => {
    if (open) socketsConnected.dec();
    open = false;
  };
}

/** A living-room message was committed (the chat's one write statement returned it). */
export function messagePersisted(status: 'visible' | 'held'): void {
  messagesPersisted.inc({ status });
}

/** Watches a pg pool: its waiting count, and its 'error' events (a connection lost while idle). */
export function watchPgPool(name: string, pool: pg.Pool): void {
  waitingBy.set(name, () => pool.waitingCount);
  poolErrors.inc({ pool: name }, 0);
  pool.on('error', () => poolErrors.inc({ pool: name }));
}

interface TarnPool {
  numPendingAcquires(): number;
  on(event: 'acquireFail' | 'createFail', listener: () => void): void;
}

/** Watches knex's pool (tarn): pending acquires, and failed creates and acquires (timeouts). */
export function watchKnexPool(name: string, db: Knex): void {
  const pool = (db.client as { pool?: TarnPool }).pool;
  if (!pool) return;
  waitingBy.set(name, () => pool.numPendingAcquires());
  poolErrors.inc({ pool: name }, 0);
  pool.on('acquireFail', () => poolErrors.inc({ pool: name }));
  pool.on('createFail', () => poolErrors.inc({ pool: name }));
}

let defaultsOn = false;

/** Node's own metrics (event-loop lag and its percentiles, heap, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: registry, prefix: 'sharon_', eventLoopMonitoringPrecision: 20 });
}
