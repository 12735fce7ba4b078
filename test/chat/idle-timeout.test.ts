import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';
import { ask, connected, disconnected, sessionCookie } from '../helpers/sockets.js';

// An idle timeout of 3 s (SESSION_IDLE_SECONDS, tests only) so that the test can watch it pass.
const IDLE_MS = 3_000;

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ SESSION_IDLE_SECONDS: String(IDLE_MS / 1000), CHAT_FLOOD_MESSAGES: '100' });
  base = await t.listen();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await t.close();
});

const anorexia = () => ids.room('Anorexia living room');

/** A member of the anorexia cohort of our own, signed in: the session cookie. */
async function member(username: string): Promise<string> {
  await makeUser(t.db, {
    username,
    subnetId: ids.subnet('eating-disorders'),
    cohortId: ids.cohort('eating-disorders/anorexia'),
  });
  return sessionCookie(base, username);
}

/** A socket on the long-polling transport only: every packet it receives is a new HTTP request carrying the cookie. */
async function pollingSocket(cookie: string): Promise<Socket> {
  const s = connect(base, {
    transports: ['polling'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { Cookie: cookie, Origin: base },
  });
  open.push(s);
  await connected(s);
  expect((await ask(s, 'room:join', { roomId: anorexia() })).ok).toBe(true);
  return s;
}

const signedIn = async (cookie: string) => (await request(base).get('/account').set('Cookie', cookie)).status === 200;

describe('the idle timeout whatever the transport', () => {
  it('a polling socket that sends nothing loses its session and socket after the idle time, while one that sends messages stays signed in', async () => {
    const [idleCookie, activeCookie] = [await member('idle-poller'), await member('active-poller')];
    const idle = await pollingSocket(idleCookie);
    const active = await pollingSocket(activeCookie);
    const start = Date.now();
    const idleGone = disconnected(idle).then(() => Date.now() - start);

    // The active member writes every 400 ms for three idle timeouts; each message also reaches the
    // idle socket, so its polling transport makes a request (with the cookie) every 400 ms.
    const acks: boolean[] = [];
    while (Date.now() - start < 3 * IDLE_MS) {
      acks.push(
        (
          await ask(active, 'message:send', {
            roomId: anorexia(),
            clientId: randomUUID(),
            body: `still here ${acks.length}`,
          })
        ).ok,
      );
      await new Promise((r) => setTimeout(r, 400));
    }

    // The sweep (every 300 ms here) closes the idle socket once its session has expired.
    expect(await idleGone).toBeLessThan(IDLE_MS + 2_000);
    expect(await signedIn(idleCookie)).toBe(false);
    expect(acks.every(Boolean)).toBe(true);
    expect(active.connected).toBe(true);
    expect(await signedIn(activeCookie)).toBe(true);
  });
});
