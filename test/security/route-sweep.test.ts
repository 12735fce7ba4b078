import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport } from '../helpers/factories.js';

/**
 * Attacks generated from the router itself, so a new route cannot be missed:
 * - IDOR: a carer (another service entirely) tries every id-taking URL with the Eating Disorders
 *   service's real ids, GET and POST (with a valid CSRF token): never anything but 404 or 403.
 * - CSRF: every state-changing route, signed in as the clinician, without a token, or with a
 *   token from a foreign Origin: never a success.
 */
let t: TestApp;
let params: Record<string, string>;
interface RouteDef {
  method: 'get' | 'post';
  path: string;
}
let routes: RouteDef[] = [];

function collect(stack: unknown[], prefix = ''): RouteDef[] {
  const out: RouteDef[] = [];
  for (const layer of stack as {
    route?: { path: string | string[]; methods: Record<string, boolean> };
    handle?: { stack?: unknown[] };
  }[]) {
    if (layer.route) {
      for (const p of Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]) {
        for (const m of Object.keys(layer.route.methods))
          if (m === 'get' || m === 'post') out.push({ method: m, path: prefix + p });
      }
    } else if (layer.handle?.stack) out.push(...collect(layer.handle.stack, prefix));
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp();
  const ids = await demoIds(t.db);
  const db = t.db;
  const room = ids.room('Anorexia living room');
  const messageId = await makeMessage(db, { roomId: room, authorId: ids.user('anna'), body: 'a message' });
  const [{ id: threadId }] = await db('threads')
    .insert({ room_id: ids.room('Anorexia noticeboard'), author_id: ids.user('anna'), title: 'A thread', body: 'x' })
    .returning('id');
  const [{ id: replyId }] = await db('replies')
    .insert({ thread_id: threadId, author_id: ids.user('anna'), body: 'y' })
    .returning('id');
  const reportId = await makeReport(db, { messageId, reporterId: ids.user('bella'), reason: 'r' });
  const [{ id: alertId }] = await db('alerts')
    .insert({ subnet_id: ids.subnet('eating-disorders'), message_id: messageId, matched: 'w' })
    .returning('id');
  const [{ id: conversationId }] = await db('care_conversations')
    .insert({ subnet_id: ids.subnet('eating-disorders'), member_id: ids.user('anna') })
    .returning('id');
  const [{ id: notificationId }] = await db('notifications')
    .insert({ user_id: ids.user('anna'), kind: 'thread_reply', link: '/', room_id: room })
    .returning('id');
  const [{ id: keyId }] = await db('invitation_keys')
    .insert({
      code_hash: 'x'.repeat(64),
      code_hint: 'ABCD',
      subnet_id: ids.subnet('eating-disorders'),
      cohort_id: ids.cohort('eating-disorders/anorexia'),
      role: 'patient',
      issued_by: ids.user('clinician'),
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id');
  const item = await db('library_items')
    .whereIn('room_id', [ids.room('Eating disorders library')])
    .first('id');
  const video = await db('videos').first('id', 'video_file_id');
  const rule = await db('watched_words')
    .where({ subnet_id: ids.subnet('eating-disorders') })
    .first('id');
  const questionnaire = await db('questionnaires').where({ slug: 'helpfulness' }).first('id');
  const [{ id: responseId }] = await db('measure_responses')
    .insert({
      user_id: ids.user('anna'),
      subnet_id: ids.subnet('eating-disorders'),
      instrument_key: 'phq-9',
      instrument_version: 'Pfizer 1999 (English, UK)',
      due_at: new Date(),
      status: 'answered',
      item_scores: JSON.stringify({ '1': 1, '2': 1, '3': 0, '4': 0, '5': 0, '6': 0, '7': 0, '8': 0, '9': 0 }),
      total: 2,
      band: 'Minimal',
    })
    .returning('id');
  params = {
    roomId: room,
    subnetId: ids.subnet('eating-disorders'),
    userId: ids.user('anna'),
    messageId: String(messageId),
    threadId,
    replyId,
    reportId: String(reportId),
    alertId: String(alertId),
    conversationId,
    id: String(notificationId),
    keyId,
    itemId: item.id,
    videoId: video.id,
    fileId: video.video_file_id,
    ruleId: String(rule.id),
    questionnaireId: questionnaire.id,
    key: 'phq-9',
    responseId: String(responseId),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    handle: '0123456789abcdef',
    dataset: 'weekly-active',
    rule: 'email',
  };
  routes = collect((t.app as unknown as Express).router.stack);
});
afterAll(async () => {
  await t.close();
});

const fill = (path: string) =>
  path.replace(/:(\w+)/g, (_m, name: string) => {
    const v = params[name];
    if (!v) throw new Error(`no test value for :${name} in ${path}`);
    return v;
  });
const withIds = () => routes.filter((r) => r.path.includes(':'));

describe('routes found in the router', () => {
  it('covers every id-taking route (the sweep would fail on an unknown parameter)', () => {
    expect(withIds().length).toBeGreaterThan(60);
    expect(withIds().filter((r) => r.method === 'post').length).toBeGreaterThan(30);
    for (const r of withIds()) expect(() => fill(r.path)).not.toThrow();
  });
});

describe('IDOR: a member of another service tries every id-taking URL', () => {
  it('GET: every one answers 404 (or 403), never the resource', async () => {
    const carer = await signIn(t.app, 'carer');
    const leaks: string[] = [];
    for (const r of withIds().filter((x) => x.method === 'get')) {
      const res = await carer.get(fill(r.path));
      if (![403, 404].includes(res.status)) leaks.push(`GET ${r.path} -> ${res.status}`);
    }
    expect(leaks).toEqual([]);
  });

  it('POST with a valid CSRF token: every one is refused, and nothing changes', async () => {
    const carer = await signIn(t.app, 'carer');
    const counted = () =>
      t.db('audit_log').whereNot('outcome', 'denied').whereNot('action', 'login').count('* as n').first();
    const before = await counted();
    const leaks: string[] = [];
    for (const r of withIds().filter((x) => x.method === 'post')) {
      const _csrf = await csrfFrom(carer, '/');
      const res = await carer.post(fill(r.path)).type('form').send({
        _csrf,
        body: 'x',
        reason: 'x',
        title: 'xxx',
        name: 'xxx',
        minutes: '5',
        cohortId: params.cohortId,
        roomId: params.roomId,
      });
      if (![400, 403, 404].includes(res.status)) leaks.push(`POST ${r.path} -> ${res.status}`);
    }
    expect(leaks).toEqual([]);
    expect(Number((await counted())?.n)).toBe(Number(before?.n));
  });
});

describe('CSRF on every state-changing route', () => {
  let clinician: TestAgent;
  beforeAll(async () => {
    clinician = await signIn(t.app, 'clinician');
  });

  it('without a token: never a success', async () => {
    const bad: string[] = [];
    for (const r of routes.filter(
      (x) => x.method === 'post' && !['/login', '/join', '/login/two-factor'].includes(x.path),
    )) {
      const res = await clinician.post(fill(r.path)).type('form').send({ body: 'x' });
      if (res.status < 400) bad.push(`POST ${r.path} -> ${res.status}`);
    }
    expect(bad).toEqual([]);
  });

  it('a multipart body without a token: never a success (only upload routes take one, and they check its token)', async () => {
    const bad: string[] = [];
    for (const r of routes.filter(
      (x) => x.method === 'post' && !['/login', '/join', '/login/two-factor'].includes(x.path),
    )) {
      const res = await clinician.post(fill(r.path)).field('body', 'x');
      if (res.status < 400) bad.push(`POST ${r.path} -> ${res.status}`);
    }
    expect(bad).toEqual([]);
  });

  it('with a token but from a foreign origin: never a success', async () => {
    const bad: string[] = [];
    for (const r of routes.filter((x) => x.method === 'post')) {
      const _csrf = await csrfFrom(clinician, '/');
      const res = await clinician
        .post(fill(r.path))
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ _csrf, body: 'x' });
      if (res.status !== 403) bad.push(`POST ${r.path} -> ${res.status}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('hostile input on every page', () => {
  it('SQL-injection and junk in query strings never cause a server error', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const junk =
      "q=' OR 1=1--&page=1' OR '1'='1&subnet=x' UNION SELECT 1--&from=2026-01-01'--&to=;DROP TABLE users&room=%00&action=login'--&before=1 OR 1=1";
    const errors: string[] = [];
    for (const r of routes.filter((x) => x.method === 'get')) {
      const res = await clinician.get(`${fill(r.path)}?${junk}`);
      if (res.status >= 500) errors.push(`GET ${r.path} -> ${res.status}`);
    }
    expect(errors).toEqual([]);
    expect(Number((await t.db('users').count('* as n').first())?.n)).toBeGreaterThan(0);
  });

  it('a forged X-Forwarded-For does not dodge the login limit (trust proxy is off)', async () => {
    const request = (await import('supertest')).default;
    let last = 0;
    for (let i = 0; i < 7; i++) {
      const agent = request.agent(t.app);
      const _csrf = await csrfFrom(agent, '/login');
      last = (
        await agent
          .post('/login')
          .set('X-Forwarded-For', `203.0.113.${i}`)
          .type('form')
          .send({ _csrf, username: 'bella', password: `wrong-guess-${i}` })
      ).status;
    }
    expect(last).toBe(429);
  });
});
