import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';

// One argon2 operation at a time, two waiting: a burst of sign-ins overflows at once.
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '2' });
});
afterAll(async () => {
  await t.close();
});

/** A visitor with the login form's cookie and CSRF token, ready to post. */
async function loginForm(): Promise<{ cookie: string; csrf: string }> {
  const page = await request(t.app).get('/login');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error('no CSRF token on /login');
  return { cookie: String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '', csrf };
}

describe('password hashing is bounded', () => {
  it('a burst of 24 parallel sign-ins never has more than one argon2 operation running, and the excess gets 503 with Retry-After, not a 500', async () => {
    // Half right passwords, half unknown usernames (those verify against the dummy hash).
    const attempts = Array.from({ length: 24 }, (_, i) =>
      i % 2 === 0
        ? { username: 'anna', password: DEMO_PASSWORD }
        : { username: `nobody-${i}`, password: 'x'.repeat(128) },
    );
    const forms = await Promise.all(attempts.map(loginForm));
    const before = t.passwords.stats();

    const answers = await Promise.all(
      attempts.map((a, i) => {
        const form = forms[i] as { cookie: string; csrf: string };
        return request(t.app)
          .post('/login')
          .set('Cookie', form.cookie)
          .type('form')
          .send({ _csrf: form.csrf, ...a });
      }),
    );

    const after = t.passwords.stats();
    const statuses = answers.map((r) => r.status);
    const busy = answers.filter((r) => r.status === 503);
    expect(new Set(statuses).size).toBeGreaterThan(1);
    expect(statuses.every((s) => s === 303 || s === 401 || s === 503)).toBe(true);
    expect(busy.length).toBeGreaterThan(0);
    for (const r of busy) {
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(r.text).toContain('Many people are signing in at this moment');
      expect(r.text).not.toMatch(/PasswordHashingBusy|at .*\.ts:\d+/);
    }
    // Seen at argon2 itself: never two at once; every sign-in that was answered ran through here.
    expect(after.peakRunning).toBe(1);
    expect(after.refused - before.refused).toBe(busy.length);
    expect(after.completed - before.completed).toBeGreaterThanOrEqual(answers.length - busy.length);
    expect(after.running).toBe(0);
  });

  it('once the burst has passed, the same sign-in succeeds', async () => {
    const form = await loginForm();
    const res = await request(t.app)
      .post('/login')
      .set('Cookie', form.cookie)
      .type('form')
      .send({ _csrf: form.csrf, username: 'anna', password: DEMO_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });
});
