import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { generate } from 'otplib';
import { DEMO_TOTP_SECRET } from '../../seeds/demo.js';
import { nextStep, totpClock, totpCode } from '../helpers/totp.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

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

  it("after a sign-in, no code of that step or an earlier one works again; the next step's code does, without waiting for it", async () => {
    const first = await password('clinician');
    const used = await totpCode();
    expect((await code(first.agent, used)).status).toBe(303);
    nextStep();
    const started = Date.now();
    const fresh = await totpCode();
    expect(fresh).not.toBe(used);
    const second = await password('clinician');
    expect((await code(second.agent, fresh)).status).toBe(303);
    // The earlier step is still inside the one-step drift window, yet it was used: refused.
    const replay = await password('clinician');
    expect((await code(replay.agent, used)).status).toBe(401);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("codes are checked against the app's clock: a code for its time works, a code for ten minutes before does not", async () => {
    const systemTimeCode = await generate({ secret: DEMO_TOTP_SECRET, epoch: Math.floor(Date.now() / 1000) });
    totpClock.offsetMs += 10 * 60_000;
    const stale = await password('admin');
    expect((await code(stale.agent, systemTimeCode)).status).toBe(401);
    const current = await password('admin');
    expect((await code(current.agent, await totpCode())).status).toBe(303);
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
