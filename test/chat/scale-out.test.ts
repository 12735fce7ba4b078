import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { demoIds } from '../helpers/demo.js';
import { freePort } from '../helpers/ports.js';
import { ask, collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

let database: TestDatabase;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  database = await createTestDatabase();
  ids = await demoIds(database.db);
});
afterAll(async () => {
  await database.drop();
});

type Sent = { message: { id: number } };

describe('two app processes on one PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("deliver each other's messages and presence through the Postgres adapter", async () => {
    a = await startTestApp({}, database);
    b = await startTestApp({}, database);
    const baseA = await a.listen({ adapter: true });
    const baseB = await b.listen({ adapter: true });
    const room = ids.room('Anorexia living room');
    const onB = openSocket(baseB, await sessionCookie(baseB, 'clinician'));
    await connected(onB);
    expect((await ask(onB, 'room:join', { roomId: room })).ok).toBe(true);
    const heard = collect<{ body: string }>(onB, 'message:new');
    const presence = collect<{ people: { nickname: string }[] }>(onB, 'presence');
    const onA = openSocket(baseA, await sessionCookie(baseA, 'anna'));
    await connected(onA);
    expect((await ask(onA, 'room:join', { roomId: room })).ok).toBe(true);
    await eventually(() =>
      presence.some(
        (p) => p.people.some((x) => x.nickname === 'Willow') && p.people.some((x) => x.nickname === 'Dr Rowan'),
      ),
    );
    expect(
      (await ask(onA, 'message:send', { roomId: room, clientId: randomUUID(), body: 'across the two servers' })).ok,
    ).toBe(true);
    await eventually(() => heard.some((m) => m.body === 'across the two servers'));
    onA.disconnect();
    onB.disconnect();
  });
});

function startServer(port: number): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      SESSION_SECRET: 'k'.repeat(40),
      LOG_LEVEL: 'silent',
      CHAT_FLOOD_MESSAGES: '1000',
    },
    stdio: 'ignore',
  });
}

async function healthy(base: string): Promise<void> {
  await eventually(async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok === true, 80_000);
}

describe('an app process killed and restarted', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('loses no acknowledged message', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    child = startServer(port);
    await healthy(base);
    const cookie = await sessionCookie(base, 'peermod');
    const s = openSocket(base, cookie);
    await connected(s);
    const room = ids.room('Bulimia living room');
    expect((await ask(s, 'room:join', { roomId: room })).ok).toBe(true);
    const acked: number[] = [];
    for (let i = 0; i < 20; i++) {
      const reply = await ask<Sent>(s, 'message:send', { roomId: room, clientId: randomUUID(), body: `durable ${i}` });
      if (reply.ok) acked.push(reply.data.message.id);
    }
    expect(acked).toHaveLength(20);
    child.kill('SIGKILL');
    s.disconnect();
    child = startServer(port);
    await healthy(base);
    const again = openSocket(base, cookie);
    await connected(again);
    const reply = await ask<{ messages: { id: number }[] }>(again, 'room:join', {
      roomId: room,
      afterId: (acked[0] ?? 1) - 1,
    });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.messages.map((m) => m.id)).toEqual(acked);
    again.disconnect();
    // Two cold starts of src/server.ts (tsx compiles it each time): durability is under test, not start-up speed.
  }, 180_000);
});
