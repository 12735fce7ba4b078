import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

// Small caps so that the tests stay quick: 3 sockets per session, 5 per person.
let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ SOCKETS_PER_SESSION: '3', SOCKETS_PER_PERSON: '5' });
  base = await t.listen();
  ids = await demoIds(t.db);
});
afterEach(async () => {
  for (const s of open.splice(0)) s.disconnect();
  // The server has counted every socket of this test out before the next test counts again.
  await eventually(() => (t.io()?.of('/').sockets.size ?? 0) === 0);
});
afterAll(async () => {
  await t.close();
});

function socketWith(cookie: string): Socket {
  const s = openSocket(base, cookie);
  open.push(s);
  return s;
}

/** Whether a handshake connected, or the message it was refused with. */
const outcome = (s: Socket): Promise<string> =>
  connected(s).then(
    () => 'connected',
    (e: Error) => e.message,
  );

/** The socket is still connected and served: joining anna's living room is answered. */
async function stillServed(s: Socket): Promise<boolean> {
  return s.connected && (await ask(s, 'room:join', { roomId: ids.room('Anorexia living room') })).ok;
}

describe('sockets per session', () => {
  it('a fourth socket with one cookie is refused with too_many_connections, and the first three stay connected', async () => {
    const cookie = await sessionCookie(base, 'anna');
    const first = [socketWith(cookie), socketWith(cookie), socketWith(cookie)];
    await Promise.all(first.map(connected));
    const fourth = socketWith(cookie);
    expect(await outcome(fourth)).toBe('too_many_connections');
    for (const s of first) expect(await stillServed(s)).toBe(true);
  });

  it('of 50 parallel handshakes with one cookie exactly 3 connect; the rest get too_many_connections', async () => {
    const cookie = await sessionCookie(base, 'anna');
    const results = await Promise.all(Array.from({ length: 50 }, () => outcome(socketWith(cookie))));
    expect(results.filter((r) => r === 'connected')).toHaveLength(3);
    expect(results.filter((r) => r !== 'connected')).toEqual(Array.from({ length: 47 }, () => 'too_many_connections'));
  });

  it('a closed socket frees its place for a new one', async () => {
    const cookie = await sessionCookie(base, 'anna');
    const first = [socketWith(cookie), socketWith(cookie), socketWith(cookie)];
    await Promise.all(first.map(connected));
    const gone = disconnected(first[0] as Socket);
    first[0]?.disconnect();
    await gone;
    await eventually(() => (t.io()?.of('/').sockets.size ?? 0) === 2);
    expect(await outcome(socketWith(cookie))).toBe('connected');
  });
});

describe('sockets per person', () => {
  it('across two sessions a person may hold 5 sockets; a sixth is refused and another person is not affected', async () => {
    const [one, two] = [await sessionCookie(base, 'anna'), await sessionCookie(base, 'anna')];
    const held = [socketWith(one), socketWith(one), socketWith(one), socketWith(two), socketWith(two)];
    await Promise.all(held.map(connected));
    expect(await outcome(socketWith(two))).toBe('too_many_connections');
    for (const s of held) expect(await stillServed(s)).toBe(true);
    expect(await outcome(socketWith(await sessionCookie(base, 'bella')))).toBe('connected');
  });
});
