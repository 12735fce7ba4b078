import request from 'supertest';
import { io as connect, type Socket } from 'socket.io-client';
import { DEMO_PASSWORD } from './constants.js';
import { nextStep, totpCode } from './totp.js';

/** Signs in over real HTTP (with the second factor for staff) and returns the session cookie. */
export async function sessionCookie(base: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const page = await request(base).get('/login');
    const first = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const res = await request(base)
      .post('/login')
      .set('Cookie', first)
      .type('form')
      .send({ _csrf, username, password });
    if (res.status !== 303) throw new Error(`sign-in as ${username} failed: ${res.status}`);
    const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    if (res.headers.location !== '/login/two-factor') return cookie;
    const form = await request(base).get('/login/two-factor').set('Cookie', cookie);
    const tok = /name="_csrf" value="([^"]+)"/.exec(form.text)?.[1];
    const second = await request(base)
      .post('/login/two-factor')
      .set('Cookie', cookie)
      .type('form')
      .send({ _csrf: tok, code: await totpCode() });
    if (second.status === 303) return String(second.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    nextStep();
  }
  throw new Error(`two-factor sign-in as ${username} failed`);
}

/** A real socket.io-client connection from our own origin with a session cookie. */
export function openSocket(base: string, cookie: string | null, origin = base): Socket {
  return connect(base, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { ...(cookie ? { Cookie: cookie } : {}), Origin: origin },
  });
}

/** Resolves when connected; rejects with the connect error. */
export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', (e) => reject(e));
  });
}

export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: string; retryAfter?: number };

/** Emits an event and waits for its acknowledgement. */
export function ask<T = unknown>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<Reply<T>>;
}

/** Collects every payload of an event. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (p: T) => seen.push(p));
  return seen;
}

/** Waits until a condition holds (polling), or fails after a time. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/** Resolves when the socket is disconnected (by the server or otherwise). */
export function disconnected(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve('already');
    socket.once('disconnect', (reason) => resolve(reason));
  });
}
