import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { MAINTENANCE_TIMEOUTS } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../seeds/demo.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { DEMO_PASSWORD } from '../helpers/constants.js';
import { demoIds } from '../helpers/demo.js';
import { freePort } from '../helpers/ports.js';
import { collect, connected, eventually, openSocket, sessionCookie, type Reply } from '../helpers/sockets.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Fault injection: this file runs its own PostgreSQL, which it stops and starts, and reaches it
 * through a TCP proxy that it can stall. The app runs with its real timeouts.
 */
let pg: EmbeddedDatabase;
let dir: string;
let proxy: TcpProxy;
let direct: Db; // the test's own view of the data, not through the proxy
let appDb: Db;
let proxiedUrl: string;
let room: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sharon-faults-'));
  pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'sharon', persistent: false });
  direct = createDb(pg.url, 2, MAINTENANCE_TIMEOUTS);
  await migrateLatest(direct);
  await seedDemo(direct, DEMO_PASSWORD, 'test', inject('uploadDir'));
  room = (await demoIds(direct)).room('Anorexia living room');
  proxy = await startTcpProxy(Number(new URL(pg.url).port));
  const u = new URL(pg.url);
  u.port = String(proxy.port);
  proxiedUrl = u.toString();
  appDb = createDb(proxiedUrl, 10);
}, 120_000);

afterAll(async () => {
  await appDb?.destroy();
  await direct?.destroy();
  await proxy?.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

const shared = () => ({ db: appDb, url: proxiedUrl, drop: async () => undefined });
const ENV = { CHAT_FLOOD_MESSAGES: '1000' };

type Sent = { message: { id: number } };

/** Emits and waits for the ack; no answer within `ms` is reported as `timeout`. */
async function send(socket: Socket, clientId: string, body: string, ms = 10_000): Promise<Reply<Sent>> {
  try {
    return (await socket.timeout(ms).emitWithAck('message:send', { roomId: room, clientId, body })) as Reply<Sent>;
  } catch {
    return { ok: false, error: 'timeout' };
  }
}

/** Sends until acknowledged, as the living room does: the same client id on every try. */
async function sendUntilAcked(
  socket: Socket,
  clientId: string,
  body: string,
  deadline: number,
): Promise<{ id: number; tries: number; errors: string[] }> {
  const errors: string[] = [];
  for (let tries = 1; ; tries++) {
    const reply = await send(socket, clientId, body);
    if (reply.ok) return { id: reply.data.message.id, tries, errors };
    errors.push(reply.error);
    if (reply.error !== 'unavailable' && reply.error !== 'timeout') throw new Error(`refused for good: ${reply.error}`);
    if (Date.now() > deadline) throw new Error(`not acknowledged in time (${errors.join(', ')})`);
    await new Promise((r) => setTimeout(r, 250)); // the client's retry interval
  }
}

async function joinedSocket(base: string, username = 'anna'): Promise<{ socket: Socket; cookie: string }> {
  const cookie = await sessionCookie(base, username);
  const socket = openSocket(base, cookie);
  await connected(socket);
  const joined = (await socket.timeout(10_000).emitWithAck('room:join', { roomId: room })) as Reply;
  expect(joined.ok).toBe(true);
  return { socket, cookie };
}

const rowsFor = async (clientIds: string[]) =>
  direct('messages').whereIn('client_id', clientIds).select('id', 'client_id as clientId');

describe('PostgreSQL stopped and started under a live conversation', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('5 senders: the process stays up, every message is acknowledged once after retries, none lost, none duplicated, order kept', async () => {
    t = await startTestApp(ENV, shared());
    const base = await t.listen();
    const senders = await Promise.all(Array.from({ length: 5 }, () => joinedSocket(base)));
    const PER_SENDER = 10;
    let acked = 0;
    let reachedTen: () => void = () => undefined;
    const tenAcked = new Promise<void>((resolve) => (reachedTen = resolve));
    const deadline = Date.now() + 90_000;
    const sent: { sender: number; seq: number; clientId: string; id: number; errors: string[] }[] = [];

    const runs = senders.map(async ({ socket }, sender) => {
      for (let seq = 0; seq < PER_SENDER; seq++) {
        const clientId = randomUUID();
        const r = await sendUntilAcked(socket, clientId, `sender ${sender} message ${seq}`, deadline);
        sent.push({ sender, seq, clientId, id: r.id, errors: r.errors });
        if (++acked === 10) reachedTen();
      }
    });
    await tenAcked;
    await pg.kill('immediate'); // pg_ctl stop -m immediate
    const stoppedAt = Date.now();
    await eventually(async () => (await fetch(`${base}/healthz`)).status === 503, 3_000);
    await new Promise((r) => setTimeout(r, Math.max(0, 5_000 - (Date.now() - stoppedAt)))); // down for 5 s
    await pg.start();
    const startedAt = Date.now();
    await eventually(async () => (await fetch(`${base}/healthz`)).status === 200, 5_000);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await Promise.all(runs);

    // The outage was felt: some sends were answered "unavailable" (never "internal").
    const errors = sent.flatMap((s) => s.errors);
    expect(errors).toContain('unavailable');
    expect(errors.filter((e) => e !== 'unavailable' && e !== 'timeout')).toEqual([]);
    // Every acknowledged message is committed, exactly once, with the id its sender was given.
    const rows = await rowsFor(sent.map((s) => s.clientId));
    expect(rows).toHaveLength(5 * PER_SENDER);
    const byClient = new Map(rows.map((r: { id: number; clientId: string }) => [r.clientId, Number(r.id)]));
    for (const s of sent) expect(byClient.get(s.clientId)).toBe(s.id);
    // Each sender's messages are stored in the order they were sent.
    for (let sender = 0; sender < 5; sender++) {
      const ids = sent
        .filter((s) => s.sender === sender)
        .sort((a, b) => a.seq - b.seq)
        .map((s) => s.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    for (const { socket } of senders) socket.disconnect();
  }, 150_000);
});

describe('the Socket.IO adapter loses its LISTEN connections', () => {
  let a: TestApp;
  let b: TestApp;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('both processes stay up, and delivery between them resumes within 10 s; clients are asked to catch up', async () => {
    a = await startTestApp(ENV, shared());
    b = await startTestApp(ENV, shared());
    const baseA = await a.listen({ adapter: true });
    const baseB = await b.listen({ adapter: true });
    const onA = await joinedSocket(baseA);
    const onB = await joinedSocket(baseB, 'clinician');
    const heard = collect<{ body: string }>(onB.socket, 'message:new');
    const resync = collect(onB.socket, 'room:resync');
    const across = async (label: string, within: number) => {
      const started = Date.now();
      await eventually(async () => {
        const body = `${label} ${randomUUID()}`;
        expect((await send(onA.socket, randomUUID(), body)).ok).toBe(true);
        const end = Date.now() + 400;
        while (Date.now() < end && !heard.some((m) => m.body === body)) await new Promise((r) => setTimeout(r, 25));
        return heard.some((m) => m.body === body);
      }, within);
      return Date.now() - started;
    };
    await across('before', 10_000);

    const { rows } = await direct.raw(
      "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = 'sharon-adapter'",
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(await across('after', 10_000)).toBeLessThan(10_000);
    // B's LISTEN came back: its clients were asked to fetch what they may have missed.
    await eventually(() => resync.length > 0, 10_000);
    expect((await fetch(`${baseA}/healthz`)).status).toBe(200);
    expect((await fetch(`${baseB}/healthz`)).status).toBe(200);
    onA.socket.disconnect();
    onB.socket.disconnect();
  }, 60_000);
});

describe('the network path to PostgreSQL stalls for 30 s, then returns', () => {
  let t: TestApp;
  afterAll(async () => {
    proxy.resume();
    await t?.close();
  });

  it('health answers 503 within 2 s, a page 503 within 7 s, a send "unavailable"; everything works again within 5 s, same session', async () => {
    t = await startTestApp(ENV, shared());
    const base = await t.listen();
    const { socket, cookie } = await joinedSocket(base);
    const page = () => fetch(`${base}/`, { headers: { Cookie: cookie, Accept: 'text/html' }, redirect: 'manual' });
    expect((await page()).status).toBe(200);

    proxy.stall();
    const stalledAt = Date.now();
    const timed = async <T>(work: Promise<T>) => {
      const started = Date.now();
      const value = await work;
      return { value, ms: Date.now() - started };
    };
    const clientId = randomUUID();
    const [health, lobby, sendReply] = await Promise.all([
      timed(fetch(`${base}/healthz`)),
      timed(page()),
      timed(send(socket, clientId, 'sent during the stall')),
    ]);
    expect(health.value.status).toBe(503);
    expect(await health.value.json()).toEqual({ status: 'unavailable' });
    expect(health.ms).toBeLessThan(2_000);
    expect(lobby.value.status).toBe(503);
    expect(await lobby.value.text()).toContain('the service is unavailable');
    expect(lobby.ms).toBeLessThan(7_000);
    expect(sendReply.value).toEqual({ ok: false, error: 'unavailable' });
    expect(sendReply.ms).toBeLessThan(7_000);

    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - stalledAt)))); // the stall lasts 30 s
    proxy.resume();
    const resumedAt = Date.now();
    await eventually(
      async () => (await fetch(`${base}/healthz`)).status === 200 && (await page()).status === 200,
      5_000,
    );
    const retried = await sendUntilAcked(socket, clientId, 'sent during the stall', resumedAt + 5_000);
    expect(Date.now() - resumedAt).toBeLessThan(5_000);
    expect(await rowsFor([clientId])).toEqual([{ id: retried.id, clientId }]);
    socket.disconnect();
  }, 90_000);
});

describe('the database turns read-only, as during a failover', () => {
  let t: TestApp;
  const readOnly = async (on: boolean) => {
    await direct.raw(
      on ? 'ALTER SYSTEM SET default_transaction_read_only = on' : 'ALTER SYSTEM RESET default_transaction_read_only',
    );
    await direct.raw('SELECT pg_reload_conf()');
  };
  afterAll(async () => {
    await readOnly(false);
    await t?.close();
  });

  it('a send is "unavailable", the form keeps what was typed at 503, nothing is written; it resumes after', async () => {
    t = await startTestApp(ENV, shared());
    const base = await t.listen();
    const { socket, cookie } = await joinedSocket(base);
    // The room is open in a browser without JavaScript: its form is on the screen.
    const form = await fetch(`${base}/rooms/${room}`, { headers: { Cookie: cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    await readOnly(true);
    await eventually(async () => (await fetch(`${base}/healthz`)).status === 503, 5_000);

    const clientId = randomUUID();
    expect(await send(socket, clientId, 'written while read-only')).toEqual({ ok: false, error: 'unavailable' });
    // The page's own form: the room again, at 503, with the text kept.
    const posted = await fetch(`${base}/rooms/${room}/messages`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
      body: new URLSearchParams({ _csrf: csrf, clientId: randomUUID(), body: 'typed into the form while read-only' }),
    });
    expect(posted.status).toBe(503);
    const html = await posted.text();
    expect(html).toContain('SHaRON cannot save messages just now');
    expect(html).toContain('typed into the form while read-only');
    expect(
      await direct('messages')
        .whereIn('body', ['written while read-only', 'typed into the form while read-only'])
        .count('* as n')
        .first(),
    ).toEqual({ n: 0 });

    await readOnly(false);
    const retried = await sendUntilAcked(socket, clientId, 'written while read-only', Date.now() + 10_000);
    expect(await rowsFor([clientId])).toEqual([{ id: retried.id, clientId }]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    socket.disconnect();
  }, 60_000);
});

describe('shutting down', () => {
  const startServer = (port: number, env: Record<string, string>, detached = false) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        SESSION_SECRET: 'k'.repeat(40),
        LOG_LEVEL: 'info',
        UPLOAD_DIR: inject('uploadDir'),
        ...ENV,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, out: () => stdout, err: () => stderr };
  };
  const healthy = (base: string, ms: number) =>
    eventually(async () => (await fetch(`${base}/healthz`).catch(() => null))?.status === 200, ms);

  it('SIGTERM during a chat: sockets are told to reconnect, in-flight work finishes, exit 0, nothing on stderr', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startServer(port, { DATABASE_URL: pg.url });
    await healthy(base, 30_000);
    const { socket } = await joinedSocket(base);
    expect((await send(socket, randomUUID(), 'before the restart')).ok).toBe(true);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const inFlight = send(socket, randomUUID(), 'as the signal arrives');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // "transport close" (not "io server disconnect"): a Socket.IO client reconnects by itself.
    expect(await closed).toBe('transport close');
    const reply = await inFlight;
    expect(reply.ok || reply.error === 'timeout').toBe(true);
    expect(server.err()).toBe('');
    expect(server.out().trim().split('\n').at(-1)).toContain('SHaRON stopped');
  }, 60_000);

  it('npm start: its embedded PostgreSQL killed is restarted with the same sessions; Ctrl-C (SIGINT to app and PostgreSQL together) exits 0 with nothing on stderr', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sharon-ctrl-c-'));
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const server = startServer(
        port,
        // The demo people only: this test is about restarts, not the demo's generated activity.
        { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), DEMO_PASSWORD, DEMO_ACTIVITY: 'off' },
        true,
      );
      await healthy(base, 90_000);
      const cookie = await sessionCookie(base, 'anna');
      const postmaster = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(postmaster, 'SIGQUIT'); // as `pg_ctl stop -m immediate`, or a crash
      await eventually(async () => (await fetch(`${base}/healthz`)).status === 503, 5_000);
      await healthy(base, 20_000);
      expect((await fetch(`${base}/`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(200);
      expect(server.out()).toContain('embedded PostgreSQL restarted');
      process.kill(-(server.child.pid ?? 0), 'SIGINT'); // the terminal's process group: app and PostgreSQL
      expect(await server.exited).toBe(0);
      expect(server.err()).toBe('');
      expect(server.out()).toContain('SHaRON stopped');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 150_000);
});
