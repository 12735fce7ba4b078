import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Registry } from 'prom-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeRoom, makeSubnet, makeUser } from '../helpers/factories.js';
import { ask, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { loadConfig } from '../../src/config.js';
import { createPool, REQUEST_TIMEOUTS } from '../../src/db/connection.js';
import { createDb } from '../../src/db/knex.js';
import { startMetrics, startMetricsServer, type MetricsServer } from '../../src/monitoring/metrics-server.js';
import { watchKnexPool, watchPgPool } from '../../src/metrics.js';
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

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Expects an age gauge to say `seconds`, give or take the time the test itself took (30 s). */
function expectAge(value: number | undefined, seconds: number): void {
  expect(value).toBeGreaterThanOrEqual(seconds - 1);
  expect(value).toBeLessThan(seconds + 30);
}

describe('the metrics endpoint after some traffic', () => {
  it('has every family with plausible values', async () => {
    // Two subnets of our own, so the workload gauges have exact answers: "watched" has a held
    // message, two alerts and two care-team conversations waiting; "quiet" has nothing waiting.
    const quiet = await makeSubnet(t.db);
    const watched = await makeSubnet(t.db);
    const livingRoom = await makeRoom(t.db, { subnetId: watched.id });
    const makeMember = () => makeUser(t.db, { subnetId: watched.id, cohortId: watched.cohorts.everyone });
    const member = await makeMember();
    const second = await makeMember();
    const answered = await makeMember();
    const said = await makeMessage(t.db, { roomId: livingRoom, authorId: member.id, createdAt: ago(30) });
    await t.db('alerts').insert([
      { subnet_id: watched.id, message_id: said, matched: 'end it all', created_at: ago(12) },
      { subnet_id: watched.id, message_id: said, matched: 'end it all', created_at: ago(1) },
      // Older, but acknowledged: it waits for nobody.
      { subnet_id: watched.id, message_id: said, matched: 'end it all', created_at: ago(60), acknowledged_at: ago(50) },
    ]);
    await t.db('care_conversations').insert([
      { subnet_id: watched.id, member_id: member.id, awaiting_since: ago(7) },
      { subnet_id: watched.id, member_id: second.id, awaiting_since: ago(2) },
      { subnet_id: watched.id, member_id: answered.id, awaiting_since: null },
    ]);

    const before = await scrape();
    const heldBefore = sample(before, 'sharon_messages_persisted_total', { status: 'held' }) ?? 0;
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
    // A member's contact details are held by the safety baseline, in every subnet.
    const holder = openSocket(base, await sessionCookie(base, member.username));
    await connected(holder);
    expect((await ask(holder, 'room:join', { roomId: livingRoom })).ok).toBe(true);
    const held = await ask<{ held: boolean }>(holder, 'message:send', {
      roomId: livingRoom,
      clientId: randomUUID(),
      body: 'write to me at sam@example.com',
    });
    expect(held.ok && held.data.held).toBe(true);

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
    expect(sample(during, 'sharon_messages_persisted_total', { status: 'held' })).toBe(heldBefore + 1);
    // The workload gauges, subnet by subnet: counts and the oldest waiting item's age.
    const w = { subnet: watched.slug };
    const q = { subnet: quiet.slug };
    expect(sample(during, 'sharon_alerts_unacknowledged', w)).toBe(2);
    expectAge(sample(during, 'sharon_alert_oldest_unacknowledged_seconds', w), 12 * 60);
    expect(sample(during, 'sharon_moderation_queue_items', { ...w, kind: 'held_message' })).toBe(1);
    expect(sample(during, 'sharon_moderation_queue_items', { ...w, kind: 'held_post' })).toBe(0);
    expect(sample(during, 'sharon_moderation_queue_items', { ...w, kind: 'open_report' })).toBe(0);
    expect(sample(during, 'sharon_care_team_conversations_waiting', w)).toBe(2);
    expectAge(sample(during, 'sharon_care_team_oldest_waiting_seconds', w), 7 * 60);
    expect(sample(during, 'sharon_alerts_unacknowledged', q)).toBe(0);
    expect(sample(during, 'sharon_alert_oldest_unacknowledged_seconds', q)).toBe(0);
    for (const kind of ['held_message', 'held_post', 'open_report'])
      expect(sample(during, 'sharon_moderation_queue_items', { ...q, kind })).toBe(0);
    expect(sample(during, 'sharon_care_team_conversations_waiting', q)).toBe(0);
    expect(sample(during, 'sharon_care_team_oldest_waiting_seconds', q)).toBe(0);
    expect(sample(during, 'sharon_workload_collect_success')).toBe(1);
    expect(sample(during, 'sharon_db_pool_waiting', { pool: 'knex' })).toBe(0);
    expect(sample(during, 'sharon_db_pool_errors_total', { pool: 'knex' })).toBe(0);
    expect(sample(during, 'sharon_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(during, 'sharon_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    // Labels name route patterns and subnets: never a person, a message or a URL.
    expect(during).not.toContain('a calm evening');
    expect(during).not.toContain('sam@example.com');
    expect(during).not.toContain(roomId);

    const connectedDuring = sample(during, 'sharon_sockets_connected') ?? 0;
    const gone = disconnected(anna);
    anna.disconnect();
    await gone;
    await eventually(async () => sample(await scrape(), 'sharon_sockets_connected') === connectedDuring - 1);
    holder.disconnect();
  });

  it('is not served on the app’s own port, and only GET /metrics answers', async () => {
    expect((await request(base).get('/metrics')).status).toBe(404);
    expect((await fetch(metrics.url.replace('/metrics', '/'))).status).toBe(404);
  });
});

describe('database pools', () => {
  it('a knex pool with more queries than connections shows them waiting, and each acquire that times out as an error', async () => {
    // The app's own pool factory, with two connections and a short wait for one.
    const small = createDb(t.database.url, 2, { ...REQUEST_TIMEOUTS, acquireMs: 1_500 });
    watchKnexPool('knex-small', small);
    const pool = { pool: 'knex-small' };
    try {
      await Promise.all([small.raw('SELECT 1'), small.raw('SELECT pg_sleep(0.05)')]); // both connections open
      expect(sample(await scrape(), 'sharon_db_pool_waiting', pool)).toBe(0);
      expect(sample(await scrape(), 'sharon_db_pool_errors_total', pool)).toBe(0);
      // A knex query starts when its then() is called: these two take both connections first
      // (Promise.all would call then() a microtask later, after the queued ones had asked).
      const busy = [1, 2].map(() => small.raw('SELECT pg_sleep(3)').then(() => 'slept'));
      const queued = [1, 2, 3].map(() =>
        small.raw('SELECT 1').then(
          () => 'answered',
          (e: Error) => e.name,
        ),
      );
      await eventually(async () => sample(await scrape(), 'sharon_db_pool_waiting', pool) === 3, 1_000);
      expect(await Promise.all(queued)).toEqual(['KnexTimeoutError', 'KnexTimeoutError', 'KnexTimeoutError']);
      const after = await scrape();
      expect(sample(after, 'sharon_db_pool_waiting', pool)).toBe(0);
      expect(sample(after, 'sharon_db_pool_errors_total', pool)).toBe(3);
      expect(await Promise.all(busy)).toEqual(['slept', 'slept']);
    } finally {
      await small.destroy();
    }
  });

  it('a pg pool shows a client waiting for its one connection, and an idle connection that was ended as an error', async () => {
    const small = createPool(t.database.url, { name: 'sharon-small', max: 1 });
    watchPgPool('pg-small', small);
    const pool = { pool: 'pg-small' };
    try {
      const first = await small.connect();
      const second = small.connect();
      const waiting = sample(await scrape(), 'sharon_db_pool_waiting', pool);
      first.release();
      (await second).release();
      expect(waiting).toBe(1);
      expect(sample(await scrape(), 'sharon_db_pool_waiting', pool)).toBe(0);
      // The pool's one connection, idle between requests, is ended by the server.
      const { rows } = await small.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]?.pid;
      if (pid === undefined) throw new Error('no backend pid');
      expect(sample(await scrape(), 'sharon_db_pool_errors_total', pool)).toBe(0);
      await t.db.raw('SELECT pg_terminate_backend(?)', [pid]);
      await eventually(async () => sample(await scrape(), 'sharon_db_pool_errors_total', pool) === 1);
      expect((await small.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]); // it reconnects
    } finally {
      await small.end();
    }
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
