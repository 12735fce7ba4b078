import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const keysUrl = () => `/subnets/${ids.subnet('eating-disorders')}/keys`;

async function issueCode(): Promise<string> {
  const clinician = await signIn(t.app, 'clinician');
  const res = await postForm(
    clinician,
    keysUrl(),
    { cohortId: ids.cohort('eating-disorders/anorexia'), role: 'patient', privateReference: '', expiryDays: '14' },
    keysUrl(),
  );
  return /id="key-code">([A-Z0-9-]+)</.exec(res.text)?.[1] ?? '';
}

async function redeem(body: Record<string, string>) {
  const agent = request.agent(t.app);
  const _csrf = await csrfFrom(agent, '/join');
  return agent
    .post('/join')
    .type('form')
    .send({ _csrf, ...body });
}

/** The error summary's messages, in order. */
const summary = (html: string) =>
  [...(html.split('nhsuk-error-summary__list')[1]?.split('</ul>')[0] ?? '').matchAll(/<a href="#(\w+)">([^<]+)</g)].map(
    (m) => `${m[1]}: ${m[2]}`,
  );

describe('/join reports every problem in one round', () => {
  it('a taken username is reported together with a too-short password and a staff-like nickname', async () => {
    const code = await issueCode();
    const res = await redeem({ key: code, username: 'anna', nickname: 'Nurse Jo', password: 'short' });
    expect(res.status).toBe(400);
    expect(summary(res.text)).toEqual([
      'username: That username is taken. Choose another one',
      expect.stringMatching(/^nickname: Your nickname must not look like a staff title/),
      'password: Your password must be at least 10 characters',
    ]);
    expect(res.text).toContain('name="username" type="text" value="anna"');
    expect(res.text).toContain('name="nickname" type="text" value="Nurse Jo"');
    expect(res.text).toContain('name="password" type="password" value=""');
    expect(await t.db('users').where({ nickname: 'Nurse Jo' }).first()).toBeUndefined();
  });

  it('a wrong key, a taken username and a look-alike nickname are all named at once; the password is never echoed', async () => {
    const res = await redeem({
      key: 'ABCD-EFGH-JKMN-PQRS',
      username: 'ANNA',
      nickname: 'Wi11ow',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(400);
    expect(summary(res.text)).toEqual([
      expect.stringMatching(/^key: This key cannot be used/),
      'username: That username is taken. Choose another one',
      'nickname: That nickname is too close to someone else&#39;s. Choose another.',
    ]);
    expect(res.text).not.toContain('a long enough passphrase');
  });

  it('a nickname equal to the username is reported with a malformed key in the same round', async () => {
    const res = await redeem({
      key: 'nope',
      username: 'fernleaf',
      nickname: 'Fernleaf',
      password: 'a long enough passphrase',
    });
    expect(summary(res.text)).toEqual([
      'key: Enter the key exactly as it was given to you, for example ABCD-EFGH-JKMN-PQRS',
      expect.stringMatching(/^nickname: Choose a nickname that is different from your username/),
    ]);
  });

  it('once every problem is fixed the key is redeemed', async () => {
    const code = await issueCode();
    const res = await redeem({
      key: code,
      username: 'fernleaf',
      nickname: 'Quiet Oak',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(303);
    expect(await t.db('users').where({ username: 'fernleaf' }).first()).toBeTruthy();
  });
});
