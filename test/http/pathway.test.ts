import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { enrolTwoFactor } from '../helpers/totp.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let clinician: TestAgent;
let memberId = '';

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  clinician = await signIn(t.app, 'clinician');
  ({ id: memberId } = await makeUser(t.db, {
    username: 'walker',
    nickname: 'Walker',
    subnetId: ids.subnet('first-step'),
    cohortId: ids.cohort('first-step/waiting'),
  }));
});
afterAll(async () => {
  await t.close();
});

const memberUrl = (subnet: string) => `/subnets/${ids.subnet(subnet)}/members/${memberId}`;
const move = (from: string, destination: string, leaveOn = '') =>
  postForm(clinician, `${memberUrl(from)}/pathway`, { destination, leaveOn }, memberUrl(from));

describe('the care pathway', () => {
  it("First Step to the anorexia group in one step: the member's rooms change at once; audited", async () => {
    const walker = await signIn(t.app, 'walker');
    expect((await walker.get(`/rooms/${ids.room('First Step library')}`)).status).toBe(200);
    const res = await move(
      'first-step',
      `${ids.subnet('eating-disorders')}:${ids.cohort('eating-disorders/anorexia')}`,
    );
    expect(res.status).toBe(303);
    expect((await walker.get(`/rooms/${ids.room('Anorexia living room')}`)).status).toBe(200);
    expect((await walker.get(`/rooms/${ids.room('First Step library')}`)).status).toBe(404);
    expect(await t.db('audit_log').where({ action: 'member.pathway_move', target_id: memberId }).first()).toBeTruthy();
  });

  it('then "recovered", with access to the recovered-members room; the old group\'s room closes', async () => {
    const walker = await signIn(t.app, 'walker');
    expect(
      (await move('eating-disorders', `${ids.subnet('eating-disorders')}:${ids.cohort('eating-disorders/recovered')}`))
        .status,
    ).toBe(303);
    expect((await walker.get(`/rooms/${ids.room('Recovered members room')}`)).status).toBe(200);
    expect((await walker.get(`/rooms/${ids.room('Anorexia living room')}`)).status).toBe(404);
  });

  it('keeping the old service until a date: the member is in both until then', async () => {
    const { id } = await makeUser(t.db, {
      username: 'overlap',
      nickname: 'Overlap',
      subnetId: ids.subnet('first-step'),
      cohortId: ids.cohort('first-step/waiting'),
    });
    const url = `/subnets/${ids.subnet('first-step')}/members/${id}`;
    await postForm(
      clinician,
      `${url}/pathway`,
      {
        destination: `${ids.subnet('eating-disorders')}:${ids.cohort('eating-disorders/bulimia')}`,
        leaveOn: '2099-01-31',
      },
      url,
    );
    const overlap = await signIn(t.app, 'overlap');
    expect((await overlap.get(`/rooms/${ids.room('First Step library')}`)).status).toBe(200);
    expect((await overlap.get(`/rooms/${ids.room('Bulimia living room')}`)).status).toBe(200);
    const m = await t
      .db('memberships')
      .where({ user_id: id, subnet_id: ids.subnet('first-step') })
      .first();
    expect(m.ends_at.toISOString().slice(0, 10)).toBe('2099-01-31');
  });

  it('only into services the clinician works in; peer moderators and members cannot move anyone', async () => {
    const url = memberUrl('eating-disorders');
    const res = await postForm(
      clinician,
      `${url}/pathway`,
      { destination: `${ids.subnet('ed-carers')}:${ids.cohort('ed-carers/carers')}` },
      url,
    );
    expect(res.status).toBe(403);
    const bad = await postForm(clinician, `${url}/pathway`, { destination: 'nonsense' }, url);
    expect(bad.status).toBe(400);
    for (const u of ['peermod', 'anna']) {
      const agent = await signIn(t.app, u);
      expect(
        (
          await postForm(agent, `${url}/pathway`, {
            destination: `${ids.subnet('eating-disorders')}:${ids.cohort('eating-disorders/anorexia')}`,
          })
        ).status,
      ).toBe(404);
    }
  });

  it('an admin makes a recovered member a peer moderator: badge, every room of the subnet, old session ended', async () => {
    const walker = await signIn(t.app, 'walker');
    const admin = await signIn(t.app, 'admin');
    const _csrf = await csrfFrom(admin, '/admin/accounts');
    expect(
      (
        await admin
          .post(`/admin/accounts/${memberId}/make-peer-moderator`)
          .type('form')
          .send({ _csrf, reason: 'Recovered and trained as a peer supporter' })
      ).status,
    ).toBe(303);
    expect((await walker.get('/')).status).toBe(303);
    const again = await signIn(t.app, 'walker');
    expect((await again.get('/')).headers.location).toBe('/account/two-factor');
    await enrolTwoFactor(again, DEMO_PASSWORD);
    expect((await again.get(`/rooms/${ids.room('Bulimia living room')}`)).status).toBe(200);
    expect((await again.get('/')).text).toContain('Peer moderator');
    expect((await postForm(clinician, '/admin/accounts/' + memberId + '/make-peer-moderator', {})).status).toBe(404);
  });
});
