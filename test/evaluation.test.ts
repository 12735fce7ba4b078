import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { signIn, startTestApp, type TestApp } from './helpers/app.js';
import { demoIds } from './helpers/demo.js';
import { makeMessage, makeMessages, makeUser } from './helpers/factories.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
const range = 'from=2026-03-01&to=2026-03-31';

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['admin', 'clinician', 'peermod', 'anna', 'bella', 'carer']) agents.set(u, await signIn(t.app, u));
  // Known activity in March 2026 (GMT until the 29th): 12 messages from 6 members, 6 of them out of hours.
  const members: string[] = [];
  for (let i = 0; i < 6; i++) {
    const member = await makeUser(t.db, {
      username: `eval${i}`,
      nickname: `Eval ${i}`,
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
      startedAt: new Date('2026-01-01T00:00:00Z'),
    });
    members.push(member.id);
  }
  const times = [
    '2026-03-02T10:00:00Z',
    '2026-03-03T10:00:00Z',
    '2026-03-04T10:00:00Z',
    '2026-03-05T10:00:00Z',
    '2026-03-06T16:59:00Z',
    '2026-03-09T09:00:00Z', // in hours
    '2026-03-02T17:00:00Z',
    '2026-03-03T08:59:00Z',
    '2026-03-07T12:00:00Z',
    '2026-03-31T16:30:00Z', // out: 17:00, 08:59, Saturday, 17:30 BST
    '2026-03-08T03:00:00Z',
    '2026-03-08T22:00:00Z', // out: Sunday night
  ];
  await makeMessages(
    t.db,
    times.map((at, i) => ({
      roomId: ids.room('Anorexia living room'),
      authorId: members[i % 6] ?? '',
      body: 'x',
      createdAt: new Date(at),
    })),
  );
  // Staff messages never count as member activity.
  await makeMessage(t.db, {
    roomId: ids.room('Anorexia living room'),
    authorId: ids.user('peermod'),
    body: 'staff',
    createdAt: new Date('2026-03-10T03:00:00Z'),
  });
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;

describe('the evaluation dashboard', () => {
  it('computes the out-of-hours share against known activity, at the 09:00 and 17:00 boundaries and across the clocks change', async () => {
    const res = await as('clinician').get(`/evaluation?subnet=${ids.subnet('eating-disorders')}&${range}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/id="out-of-hours">50% of 12 messages/);
    const csv = await as('clinician').get(
      `/evaluation/out-of-hours.csv?subnet=${ids.subnet('eating-disorders')}&${range}`,
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toBe('messages_out_of_hours,messages_total\n6,12\n');
  });

  it('suppresses every count from 1 to 4, in the page and in each CSV', async () => {
    const weekly = await as('clinician').get(
      `/evaluation/weekly-active.csv?subnet=${ids.subnet('eating-disorders')}&${range}`,
    );
    expect(weekly.text).toBe('week_starting,active_members\n2026-03-02,6\n2026-03-09,<5\n2026-03-30,<5\n');
    const heat = await as('clinician').get(`/evaluation/heatmap.csv?subnet=${ids.subnet('eating-disorders')}&${range}`);
    expect(heat.text).not.toMatch(/,[1-4](,|\n)/);
    expect(heat.text.split('\n')[1]).toMatch(/^Monday,/);
    const page = await as('clinician').get(`/evaluation?subnet=${ids.subnet('eating-disorders')}&${range}`);
    expect(page.text).not.toMatch(/>[1-4]<\/td>/);
    for (const dataset of ['monthly-active', 'response-times', 'survey', 'keys', 'outcomes', 'reliable-change']) {
      const res = await as('clinician').get(
        `/evaluation/${dataset}.csv?subnet=${ids.subnet('eating-disorders')}&${range}`,
      );
      expect(`${dataset} ${res.status}`).toBe(`${dataset} 200`);
      expect(res.text).not.toMatch(/(^|,)[1-4](,|\n)/m);
    }
  });

  it('every demo user tries the dashboard and each export directly', async () => {
    const ed = ids.subnet('eating-disorders');
    const carers = ids.subnet('ed-carers');
    const expected: [string, string, number][] = [
      ['clinician', `/evaluation?subnet=${ed}`, 200],
      ['clinician', `/evaluation?subnet=${carers}`, 404],
      ['clinician', '/evaluation', 200],
      ['admin', `/evaluation?subnet=${carers}`, 200],
      ['admin', '/evaluation', 200],
      ['peermod', '/evaluation', 404],
      ['anna', '/evaluation', 404],
      ['bella', `/evaluation?subnet=${ed}`, 404],
      ['carer', '/evaluation', 404],
      ['clinician', `/evaluation/outcomes.csv?subnet=${carers}`, 404],
      ['anna', `/evaluation/outcomes.csv?subnet=${ed}`, 404],
      ['clinician', `/evaluation/nonsense.csv?subnet=${ed}`, 404],
      ['clinician', '/evaluation?subnet=not-a-uuid', 400],
    ];
    for (const [user, url, status] of expected)
      expect(`${user} ${url} ${(await as(user).get(url)).status}`).toBe(`${user} ${url} ${status}`);
  });

  it('says plainly that the outcomes comparison is observational', async () => {
    const res = await as('admin').get(`/evaluation?${range}`);
    expect(res.text).toContain('Observational, not causal');
    expect(await t.db('audit_log').where({ action: 'evaluation.export' }).first()).toBeTruthy();
  });
});
