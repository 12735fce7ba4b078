import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyAvailable, startCluster, type Cluster } from '../../src/cli/cluster.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { demoIds } from '../helpers/demo.js';
import { freePort } from '../helpers/ports.js';
import { ask, collect, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

// `npm run cluster`'s own code: two app processes and Debian's HAProxy (deploy/haproxy.cfg) on one
// database. .ci/run installs haproxy; without it this test fails rather than skips.
let database: TestDatabase;
let ids: Awaited<ReturnType<typeof demoIds>>;
let cluster: Cluster;
let metricsPorts: [number, number];

beforeAll(async () => {
  expect(haproxyAvailable(), 'HAProxy is installed (apt-get install haproxy)').toBe(true);
  database = await createTestDatabase();
  ids = await demoIds(database.db);
  metricsPorts = [await freePort(), await freePort()];
  cluster = await startCluster({
    databaseUrl: database.url,
    sessionSecret: 'k'.repeat(40),
    host: '127.0.0.1',
    port: await freePort(),
    appPorts: [await freePort(), await freePort()],
    metricsPorts,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  await database?.drop();
});

/** The balancer's cookie pins a client to one process; X-Served-By names the one that answered. */
const pinned = (cookie: string, node: 'app1' | 'app2') => `${cookie}; SHARON_NODE=${node}`;

describe('two app processes behind HAProxy', () => {
  it('each process serves its own metrics on its own METRICS_PORT (127.0.0.1), with its pools watched', async () => {
    for (const port of metricsPorts) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      for (const pool of ['knex', 'sessions', 'adapter', 'health'])
        expect(text).toContain(`sharon_db_pool_waiting{pool="${pool}"}`);
      expect(text).toMatch(/^sharon_alerts_unacknowledged\{subnet="eating-disorders"\} \d+$/m);
      expect(text).toMatch(/^sharon_workload_collect_success 1$/m);
    }
  });

  it('round-robins requests, and its cookie pins a client to one process', async () => {
    const servedBy = new Set<string>();
    for (let i = 0; i < 4; i++)
      servedBy.add(String((await fetch(`${cluster.url}/healthz`)).headers.get('x-served-by')));
    expect([...servedBy].sort()).toEqual(['app1', 'app2']);
    for (const node of ['app1', 'app2'] as const) {
      for (let i = 0; i < 3; i++)
        expect(
          (await fetch(`${cluster.url}/healthz`, { headers: { cookie: `SHARON_NODE=${node}` } })).headers.get(
            'x-served-by',
          ),
        ).toBe(node);
    }
  });

  it('carries chat between members on different processes, and a suspension on one cuts the socket on the other', async () => {
    // Signing in goes through the balancer unpinned: the form and its post may reach different
    // processes, which share the session in PostgreSQL.
    const anna = await sessionCookie(cluster.url, 'anna');
    const clinician = await sessionCookie(cluster.url, 'clinician');
    const room = ids.room('Anorexia living room');
    const onApp1 = openSocket(cluster.url, pinned(anna, 'app1'));
    const onApp2 = openSocket(cluster.url, pinned(clinician, 'app2'));
    await Promise.all([connected(onApp1), connected(onApp2)]);
    const heard = collect<{ body: string; nickname: string }>(onApp2, 'message:new');
    const presence = collect<{ people: { nickname: string }[] }>(onApp2, 'presence');
    expect((await ask(onApp2, 'room:join', { roomId: room })).ok).toBe(true);
    expect((await ask(onApp1, 'room:join', { roomId: room })).ok).toBe(true);
    await eventually(() => presence.some((p) => p.people.some((x) => x.nickname === 'Willow')), 10_000);

    expect(
      (await ask(onApp1, 'message:send', { roomId: room, clientId: randomUUID(), body: 'through the balancer' })).ok,
    ).toBe(true);
    await eventually(() => heard.some((m) => m.body === 'through the balancer' && m.nickname === 'Willow'), 10_000);

    const cut = disconnected(onApp1);
    const memberPage = `/subnets/${ids.subnet('eating-disorders')}/members/${ids.user('anna')}`;
    const page = await request(cluster.url).get(memberPage).set('Cookie', pinned(clinician, 'app2'));
    expect(page.headers['x-served-by']).toBe('app2');
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const suspended = await request(cluster.url)
      .post(`${memberPage}/suspend`)
      .set('Cookie', pinned(clinician, 'app2'))
      .type('form')
      .send({ _csrf, reason: 'Testing suspension through the balancer' });
    expect(suspended.status).toBe(303);
    expect(await cut).toBe('io server disconnect');

    const again = openSocket(cluster.url, pinned(anna, 'app1'));
    await expect(connected(again)).rejects.toThrow();
    onApp2.disconnect();
  });
});
