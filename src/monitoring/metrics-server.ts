import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { Db } from '../db/knex.js';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { collectProcessMetrics, registry, watchKnexPool, watchPgPool } from '../metrics.js';
import { loadWorkload, registerWorkloadMetrics } from './workload.js';

export interface MetricsServer {
  /** Where Prometheus scrapes: http://host:port/metrics. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics on its own HTTP server (METRICS_PORT, bound to METRICS_HOST, 127.0.0.1 by
 * default): never on the app's port, so the public site cannot be asked for it. The workload gauges
 * read the database on each scrape, with a time limit.
 */
export async function startMetricsServer(opts: {
  host: string;
  port: number;
  db: Db;
  escalationMs: number;
  workloadTimeoutMs?: number;
}): Promise<MetricsServer> {
  collectProcessMetrics();
  const workload = new Registry();
  registerWorkloadMetrics(workload, (now) => loadWorkload(opts.db, opts.escalationMs, now), opts.workloadTimeoutMs);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: scrape /metrics\n');
      return;
    }
    Promise.all([registry.metrics(), workload.metrics()])
      .then(([own, waiting]) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(`${own}\n${waiting}`);
      })
      .catch(() => res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics unavailable\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * server.ts: when METRICS_PORT is set, watches the database pools and starts the metrics server;
 * otherwise nothing listens and undefined is returned.
 */
export async function startMetrics(
  config: Config,
  db: Db,
  pools: Record<string, pg.Pool>,
  logger?: Logger,
): Promise<MetricsServer | undefined> {
  if (!config.metrics) return undefined;
  watchKnexPool('knex', db);
  for (const [name, pool] of Object.entries(pools)) watchPgPool(name, pool);
  const server = await startMetricsServer({ ...config.metrics, db, escalationMs: config.safety.escalationMs });
  logger?.info('metrics are served', { url: server.url });
  return server;
}
