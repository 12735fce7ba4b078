import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { totpCode } from '../helpers/totp.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

async function password(username: string) {
  const agent = request.agent(t.app);
  const _csrf = await csrfFrom(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, username, password: DEMO_PASSWORD });
  return { agent, res };
}
async function code(agent: request.Agent, value: string) {
  const _csrf = await csrfFrom(agent, '/login/two-factor');
  return agent.post('/login/two-factor').type('form').send({ _csrf, code: value });
}

describe('two-factor sign-in for staff', () => {
  it('the password alone does not sign a clinician in: the session waits for the code', async () => {
    const { agent, res } = await password('clinician');
    expect(res.headers.location).toBe('/login/two-factor');
    expect((await agent.get('/')).status).toBe(303);
    expect((await agent.get('/')).headers.location).toBe('/login');
  });

  it('a wrong code is refused with a clear message; the right code signs in; the same code never works twice', async () => {
    const { agent } = await password('peermod');
    const wrong = await code(agent, '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That code is not right');
    const used = await totpCode();
    const right = await code(agent, used);
    expect(right.status).toBe(303);
    expect((await agent.get('/')).status).toBe(200);
    const replay = await password('peermod');
    expect((await code(replay.agent, used)).status).toBe(401);
  });

  it('members are not asked for a code', async () => {
    const { res } = await password('anna');
    expect(res.headers.location).toBe('/');
  });

  it('a recovery code works once', async () => {
    const id = (await t.db('users').where({ username: 'admin' }).first()).id;
    const { issueRecoveryCodes } = await import('../../src/auth/two-factor.js');
    const [recovery = ''] = await issueRecoveryCodes(t.db, id);
    const first = await password('admin');
    expect((await code(first.agent, recovery)).status).toBe(303);
    const second = await password('admin');
    expect((await code(second.agent, recovery)).status).toBe(401);
  });
});
