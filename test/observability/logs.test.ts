import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, collect, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { createLogger } from '../../src/log.js';

// Everything the app logs while one person joins with a key, signs in, chats and signs out is read
// back line by line: none of the secrets or words planted along the way may appear in any line.

const lines: string[] = [];
let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  t = await startTestApp({}, undefined, { logger: createLogger('debug', (line) => lines.push(line)) });
  base = await t.listen();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

async function issueKey(): Promise<string> {
  const clinician = await signIn(t.app, 'clinician');
  const keys = `/subnets/${ids.subnet('eating-disorders')}/keys`;
  const res = await postForm(
    clinician,
    keys,
    { cohortId: ids.cohort('eating-disorders/anorexia'), role: 'patient', privateReference: 'Ref', expiryDays: '14' },
    keys,
  );
  const code = /id="key-code">([A-Z0-9-]+)</.exec(res.text)?.[1];
  if (!code) throw new Error(`no key issued (${res.status})`);
  return code;
}

async function join(body: Record<string, string>): Promise<number> {
  const agent = request.agent(base);
  const _csrf = await csrfFrom(agent, '/join');
  return (
    await agent
      .post('/join')
      .type('form')
      .send({ _csrf, ...body })
  ).status;
}

describe('the log of a whole chat session', () => {
  it('carries no message text, password, key, session id or cookie, and each request line has id, route pattern, status and duration', async () => {
    const marker = randomUUID().slice(0, 8);
    const messageMarker = `PLANTED-MESSAGE-${marker}`;
    const password = `planted-password-${marker}`;
    const wrongPassword = `planted-wrong-${marker}`;
    const badKey = 'QQQQ-ZZZZ-MARK-QQQQ';
    const code = await issueKey();
    expect((await request(base).get(`/join?key=${code}`)).status).toBe(200);
    expect(await join({ key: badKey, username: 'logbad', nickname: 'Log Bad', password })).toBe(400);
    const username = 'logcheck';
    expect(await join({ key: code, username, nickname: 'Quiet Log', password })).toBe(303);
    await expect(sessionCookie(base, username, wrongPassword)).rejects.toThrow();
    const cookie = await sessionCookie(base, username, password);
    const annaCookie = await sessionCookie(base, 'anna');

    const roomId = ids.room('Anorexia living room');
    const anna = openSocket(base, annaCookie);
    const member = openSocket(base, cookie);
    await Promise.all([connected(anna), connected(member)]);
    expect((await ask(anna, 'room:join', { roomId })).ok).toBe(true);
    expect((await ask(member, 'room:join', { roomId })).ok).toBe(true);
    const heard = collect<{ body: string }>(anna, 'message:new');
    const sent = await ask(member, 'message:send', { roomId, clientId: randomUUID(), body: `hello ${messageMarker}` });
    expect(sent.ok).toBe(true);
    await eventually(() => heard.some((m) => m.body.includes(messageMarker)));
    expect((await request(base).get(`/rooms/${roomId}`).set('Cookie', cookie)).status).toBe(200);

    const page = await request(base).get('/').set('Cookie', cookie);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const gone = disconnected(member);
    const out = await request(base).post('/logout').set('Cookie', cookie).type('form').send({ _csrf });
    expect(out.status).toBe(303);
    await gone;
    anna.disconnect();

    const sid = decodeURIComponent(cookie.split('=')[1] ?? '')
      .replace(/^s:/, '')
      .split('.')[0];
    const secrets = [
      messageMarker,
      password,
      wrongPassword,
      badKey,
      code,
      code.replace(/-/g, ''),
      marker,
      String(sid),
      cookie,
      annaCookie,
      _csrf,
    ];
    expect(lines.length).toBeGreaterThan(15);
    for (const secret of secrets) expect(lines.filter((l) => l.includes(secret))).toEqual([]);

    const requestLines = parsed().filter((l) => l.msg === 'request completed');
    const joinPost = requestLines.find((l) => l.method === 'POST' && l.route === '/join' && l.status === 303);
    expect(joinPost).toMatchObject({ level: 'info', route: '/join', status: 303 });
    expect(joinPost?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof joinPost?.ms).toBe('number');
    expect(requestLines.some((l) => l.route === '/rooms/:roomId' && l.status === 200)).toBe(true);
    for (const l of requestLines) {
      expect(Object.keys(l).sort()).toEqual([
        'level',
        'method',
        'ms',
        'msg',
        'pid',
        'requestId',
        'route',
        'status',
        'time',
      ]);
    }
  });
});

describe('request ids', () => {
  it('a well-formed X-Request-Id from the proxy is kept, logged and echoed; a malformed one is replaced', async () => {
    const kept = await request(base).get('/login').set('X-Request-Id', 'lb-7f3a9c21-request');
    expect(kept.headers['x-request-id']).toBe('lb-7f3a9c21-request');
    await eventually(() => parsed().some((l) => l.requestId === 'lb-7f3a9c21-request' && l.route === '/login'));
    const replaced = await request(base).get('/login').set('X-Request-Id', 'bad id "with" spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await request(base).get('/login');
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers['x-request-id']).not.toBe(replaced.headers['x-request-id']);
  });

  it('a page nobody routes is logged as (unmatched), never by its URL', async () => {
    await request(base).get('/no-such-page/planted-path-marker?q=planted-query-marker');
    await eventually(() => parsed().some((l) => l.route === '(unmatched)' && l.status === 404));
    expect(lines.filter((l) => l.includes('planted-path-marker') || l.includes('planted-query-marker'))).toEqual([]);
  });

  it('LOG_LEVEL=silent writes nothing and warn drops info lines', () => {
    const written: string[] = [];
    createLogger('silent', (l) => written.push(l)).error('nothing', { a: 1 });
    const warn = createLogger('warn', (l) => written.push(l));
    warn.info('dropped');
    warn.warn('kept', { code: 'x' });
    expect(written.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'kept', code: 'x', time: expect.any(String) }),
    ]);
  });
});
