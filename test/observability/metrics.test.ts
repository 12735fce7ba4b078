import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Registry } from 'prom-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { loadConfig } from '../../src/config.js';
import { startMetrics, startMetricsServer, type MetricsServer } from '../../src/monitoring/metrics-server.js';
import { watchKnexPool } from '../../src/metrics.js';
import { registerWorkloadMetrics } from '../../src/monitoring/workload.js';

let t: TestApp;
let base: string;
let metrics: MetricsServer;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  ids = await demoIds(t.db);
  watchKnexPool('knex', t.db);
  metrics = await startMetricsServer({
    host: '127.0.0.1',
    port: 0,
    db: t.db,
    escalationMs: t.config.safety.escalationMs,
  });
});
afterAll(async () => {
  await metrics.close();
  await t.close();
});

const scrape = async (url = metrics.url) => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

/** A sample's value: the line `name{labels} value` whose labels include every one given. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the metrics endpoint after some traffic', () => {
  it('has every family with plausible values', async () => {
    const before = await scrape();
    const subnet = 'eating-disorders';
    const alertsBefore = sample(before, 'sharon_alerts_unacknowledged', { subnet }) ?? -1;
    const persistedBefore = sample(before, 'sharon_messages_persisted_total', { status: 'visible' }) ?? 0;
    for (let i = 0; i < 3; i++) expect((await request(base).get('/login')).status).toBe(200);

    const anna = openSocket(base, await sessionCookie(base, 'anna'));
    await connected(anna);
    const roomId = ids.room('Anorexia living room');
    expect((await ask(anna, 'room:join', { roomId })).ok).toBe(true);
    expect((await ask(anna, 'message:send', { roomId, clientId: randomUUID(), body: 'a calm evening' })).ok).toBe(true);
    const alerting = await ask(anna, 'message:send', { roomId, clientId: randomUUID(), body: 'I want to end it all' });
    expect(alerting.ok).toBe(true);

    const during = await scrape();
    expect(
      sample(during, 'sharon_http_request_duration_seconds_count', { route: '/login', status: '200' }),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(during, 'sharon_http_request_duration_seconds_sum', { route: '/login', status: '200' }),
    ).toBeGreaterThan(0);
    expect(during).toContain(
      'sharon_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/login",status="200"}',
    );
    expect(sample(during, 'sharon_sockets_connected')).toBeGreaterThanOrEqual(1);
    expect(sample(during, 'sharon_messages_persisted_total', { status: 'visible' })).toBe(persistedBefore + 2);
    expect(sample(during, 'sharon_alerts_unacknowledged', { subnet })).toBe(alertsBefore + 1);
    const age = sample(during, 'sharon_alert_oldest_unacknowledged_seconds', { subnet });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(400 * 86_400);
    for (const kind of ['held_message', 'held_post', 'open_report'])
      expect(sample(during, 'sharon_moderation_queue_items', { subnet, kind })).toBeGreaterThanOrEqual(0);
    expect(sample(during, 'sharon_care_team_conversations_waiting', { subnet })).toBeGreaterThanOrEqual(0);
    expect(sample(during, 'sharon_care_team_oldest_waiting_seconds', { subnet })).toBeGreaterThanOrEqual(0);
    expect(sample(during, 'sharon_workload_collect_success')).toBe(1);
    expect(sample(during, 'sharon_db_pool_waiting', { pool: 'knex' })).toBe(0);
    expect(sample(during, 'sharon_db_pool_errors_total', { pool: 'knex' })).toBe(0);
    expect(sample(during, 'sharon_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(during, 'sharon_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    // Labels name route patterns and subnets: never a person, a message or a URL.
    expect(during).not.toContain('a calm evening');
    expect(during).not.toContain(roomId);

    const connectedDuring = sample(during, 'sharon_sockets_connected') ?? 0;
    const gone = disconnected(anna);
    anna.disconnect();
    await gone;
    await eventually(async () => sample(await scrape(), 'sharon_sockets_connected') === connectedDuring - 1);
  });

  it('is not served on the app’s own port, and only GET /metrics answers', async () => {
    expect((await request(base).get('/metrics')).status).toBe(404);
    expect((await fetch(metrics.url.replace('/metrics', '/'))).status).toBe(404);
  });
});

describe('a slow database', () => {
  it('cannot hang a scrape: the workload gauges give up after their time limit and say so', async () => {
    const registry = new Registry();
    registerWorkloadMetrics(registry, () => new Promise(() => undefined), 200);
    const started = Date.now();
    const text = await registry.metrics();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(sample(text, 'sharon_workload_collect_success')).toBe(0);
    expect(sample(text, 'sharon_alerts_unacknowledged')).toBeUndefined();
  });
});

describe('configuration', () => {
  const env = (extra: Record<string, string> = {}) =>
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: t.database.url, ...extra });

  it('with METRICS_PORT unset, nothing is started', async () => {
    expect(env().metrics).toBeUndefined();
    expect(await startMetrics(env(), t.db, {})).toBeUndefined();
  });

  it('METRICS_PORT serves on 127.0.0.1 unless METRICS_HOST says otherwise; a bad port is refused', async () => {
    const port = await freePort();
    expect(env({ METRICS_PORT: String(port) }).metrics).toEqual({ host: '127.0.0.1', port });
    expect(env({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => env({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    const started = await startMetrics(env({ METRICS_PORT: String(port) }), t.db, {});
    try {
      expect(started?.url).toBe(`http://127.0.0.1:${port}/metrics`);
      expect(await scrape(started?.url)).toContain('sharon_db_pool_waiting');
    } finally {
      await started?.close();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
