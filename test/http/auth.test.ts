import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

async function attempt(username: string, password: string) {
  const agent = request.agent(t.app);
  const _csrf = await csrfFrom(agent, '/login');
  return agent.post('/login').type('form').send({ _csrf, username, password });
}

describe('signing in', () => {
  it('the login page is a form with username and password fields', async () => {
    const res = await request(t.app).get('/login');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<form action="\/login" method="post"/);
    expect(res.text).toMatch(/name="username"/);
    expect(res.text).toMatch(/name="password"/);
  });

  it('anna signs in and lands in the lobby; the session id changes at sign-in', async () => {
    const agent = request.agent(t.app);
    const pre = await agent.get('/login');
    const before = String(pre.headers['set-cookie']).match(/sharon\.sid=([^;]+)/)?.[1];
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(pre.text)?.[1];
    const res = await agent.post('/login').type('form').send({ _csrf, username: 'anna', password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    const after = String(res.headers['set-cookie']).match(/sharon\.sid=([^;]+)/)?.[1];
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const lobby = await agent.get('/');
    expect(lobby.status).toBe(200);
    expect(lobby.text).toContain('Anorexia living room');
  });

  it('a wrong password and an unknown username get the same status and message', async () => {
    const known = await attempt('bella', 'wrong-password-123');
    const unknown = await attempt('nobody-here', 'wrong-password-123');
    expect(known.status).toBe(401);
    expect(unknown.status).toBe(401);
    const msg = (t: string) => /<span class="nhsuk-error-message"[^>]*>([\s\S]*?)<\/span>\s*<input/.exec(t)?.[1];
    expect(msg(known.text)).toBe(msg(unknown.text));
    expect(known.text).toContain('The username or password is not right');
  });

  it('a login without a CSRF token is refused and signs nobody in', async () => {
    const res = await request(t.app).post('/login').type('form').send({ username: 'anna', password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
    expect(res.headers['set-cookie'] ?? []).toHaveLength(0);
  });

  it('a cross-origin form post is refused even with a token', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const res = await agent
      .post('/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ _csrf, username: 'anna', password: DEMO_PASSWORD });
    expect(res.status).toBe(403);
  });

  it('after five failures the same username from the same address must wait, even with the right password', async () => {
    await makeUser(t.db, { username: 'throttled', nickname: 'Throttled one' });
    for (let i = 0; i < 5; i++) expect((await attempt('throttled', `wrong-password-${i}`)).status).toBe(401);
    const blocked = await attempt('throttled', DEMO_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const audit = await t.db('audit_log').where({ action: 'login', outcome: 'throttled' }).count('* as n').first();
    expect(Number(audit?.n)).toBeGreaterThan(0);
  });

  it('empty fields re-render the form at 400 with an error summary and the username kept', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, username: 'anna', password: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('Enter your password');
    expect(res.text).toMatch(/name="username" type="text" value="anna"/);
  });

  it('logout deletes the session row; the old cookie no longer works', async () => {
    const agent = await signIn(t.app, 'anna');
    const before = await t.db('session').count('* as n').first();
    const _csrf = await csrfFrom(agent, '/');
    const res = await agent.post('/logout').type('form').send({ _csrf });
    expect(res.status).toBe(303);
    const after = await t.db('session').count('* as n').first();
    expect(Number(after?.n)).toBe(Number(before?.n) - 1);
    const lobby = await agent.get('/');
    expect(lobby.status).toBe(303);
    expect(lobby.headers.location).toBe('/login');
  });

  it('a session past its absolute lifetime is ended even while active', async () => {
    const agent = await signIn(t.app, 'bella');
    await t
      .db('session')
      .update({ sess: t.db.raw(`jsonb_set(sess::jsonb, '{createdAt}', to_jsonb(0))::json`) })
      .whereRaw("sess->'passport'->>'user' = (SELECT id::text FROM users WHERE username = 'bella')");
    const res = await agent.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?expired=1');
  });

  it('sign-in and failure are written to the audit log', async () => {
    await signIn(t.app, 'carer');
    const rows = await t
      .db('audit_log as a')
      .join('users as u', 'u.id', 'a.actor_id')
      .where('u.username', 'carer')
      .where('a.action', 'login');
    expect(rows.some((r) => r.outcome === 'ok')).toBe(true);
  });
});

describe('headers, cookies and limits', () => {
  it('sends a strict CSP, no-referrer, nosniff, no X-Powered-By, and no-store on pages', async () => {
    const res = await request(t.app).get('/login');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the session cookie is HttpOnly and SameSite=Lax', async () => {
    const res = await request(t.app).get('/login');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('an oversized body gets 413 and no stack trace', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, username: 'anna', password: 'x'.repeat(100_000) });
    expect(res.status).toBe(413);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('/healthz answers {"status":"ok"} while the database answers', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

describe('same-origin check', () => {
  it('a browser post from another site (Sec-Fetch-Site: cross-site) is refused; a same-origin one with Origin null passes', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const cross = await agent
      .post('/login')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ _csrf, username: 'anna', password: DEMO_PASSWORD });
    expect(cross.status).toBe(403);
    expect(cross.text).toContain('You cannot do that here');
    const same = await agent
      .post('/login')
      .set('Sec-Fetch-Site', 'same-origin')
      .set('Origin', 'null')
      .type('form')
      .send({ _csrf, username: 'anna', password: DEMO_PASSWORD });
    expect(same.status).toBe(303);
  });
});

describe('fail closed', () => {
  it('when the database does not answer, /healthz and pages answer 503 and nobody gets in', async () => {
    const { createApp } = await import('../../src/app.js');
    const { createDb } = await import('../../src/db/knex.js');
    const { createHealthPool, createSessionPool } = await import('../../src/db/open.js');
    const { createLogger } = await import('../../src/log.js');
    const deadUrl = 'postgres://nobody:nothing@127.0.0.1:1/none';
    const db = createDb(deadUrl, 1);
    const sessionPool = createSessionPool(deadUrl);
    const healthPool = createHealthPool(deadUrl);
    const { app, session } = createApp({
      config: t.config,
      db,
      sessionPool,
      healthPool,
      sessionSecret: 'x'.repeat(40),
      logger: createLogger('silent'),
    });
    try {
      expect((await request(app).get('/healthz')).status).toBe(503);
      // A signed-in person's cookie makes the store look the session up: that failure is a 503.
      const { sign } = (await import('cookie-signature')).default;
      const cookie = `sharon.sid=${encodeURIComponent(`s:${sign('some-session-id', 'x'.repeat(40))}`)}`;
      // Every time: the session that cannot be read is not then deleted as the page ends (that second
      // failure used to cut the connection mid-page, about one request in four).
      for (let i = 0; i < 20; i++) {
        const page = await request(app).get('/').set('Cookie', cookie).set('Accept', 'text/html');
        expect(page.status).toBe(503);
        expect(page.text).toContain('the service is unavailable');
        expect(page.text).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+/);
      }
    } finally {
      session.store.close();
      await Promise.all([sessionPool.end(), healthPool.end()]);
      await db.destroy();
    }
  });
});

describe('no stray sessions', () => {
  it('an anonymous request for a missing page or the favicon sets no cookie (it would race the login form)', async () => {
    for (const path of ['/favicon.ico', '/.well-known/appspecific/com.chrome.devtools.json', '/no-such-page']) {
      const res = await request(t.app).get(path);
      expect(`${path} ${res.headers['set-cookie'] ? 'cookie' : 'none'}`).toBe(`${path} none`);
    }
  });
});
