import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

/**
 * Members are offered the measures their subnet's clinicians scheduled, and answer, put off or
 * decline them; an answer to PHQ-9 item 9 above "Not at all" alerts the care team in the same
 * transaction as the response, and the member lands on the crisis contacts (hazard H36).
 */
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const ED = () => ids.subnet('eating-disorders');

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  const clinician = await signIn(t.app, 'clinician');
  const saved = await postForm(
    clinician,
    `/subnets/${ED()}/measures`,
    { 'use-phq-9': 'yes', 'first-phq-9': '0', 'every-phq-9': '28', 'first-gad-7': '0', 'every-gad-7': '' },
    `/subnets/${ED()}/measures`,
  );
  expect(saved.status).toBe(303);
});
afterAll(async () => {
  await t.close();
});

/** A new member of the anorexia group who joined `daysAgo` days ago, signed in. */
async function newMember(daysAgo = 0): Promise<{ id: string; agent: TestAgent }> {
  const m = await makeUser(t.db, {
    subnetId: ED(),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    startedAt: new Date(Date.now() - daysAgo * 86_400_000),
  });
  return { id: m.id, agent: await signIn(t.app, m.username) };
}
const page = () => `/measures/phq-9/answer?subnet=${ED()}`;
const phq9 = (item9: number, rest = 1): Record<string, string> => ({
  subnet: ED(),
  ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`item-${n}`, String(rest)])),
  'item-9': String(item9),
  'item-10': '1',
});
const alertsOf = (userId: string) =>
  t
    .db('alerts as a')
    .join('measure_responses as r', 'r.id', 'a.measure_response_id')
    .where('r.user_id', userId)
    .select('a.*');

describe('a member is offered a measure and answers it', () => {
  it('anna’s lobby offers PHQ-9; she answers; the total and band are stored; she is thanked and not asked again', async () => {
    const { id, agent } = await newMember();
    const lobby = await agent.get('/');
    expect(lobby.text).toContain(`/measures/phq-9/answer?subnet=${ED()}`);
    expect(lobby.text).not.toContain('/measures/gad-7/answer');
    const form = await agent.get(page());
    expect(form.status).toBe(200);
    expect(form.text).toContain(
      'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
    );
    expect(form.text).toContain('Thoughts that you would be better off dead or of hurting yourself in some way');
    expect(form.text).toContain('More than half the days');
    expect(form.text).toContain('Kroenke K, Spitzer RL, Williams JBW');
    const res = await postForm(agent, '/measures/phq-9/answer', phq9(0, 2), page());
    expect(res.status).toBe(303);
    const row = await t.db('measure_responses').where({ user_id: id }).first();
    expect(row).toMatchObject({ status: 'answered', total: 16, band: 'Moderately severe', instrument_key: 'phq-9' });
    expect(row.item_scores).toMatchObject({ '1': 2, '8': 2, '9': 0, '10': 1 });
    expect(res.headers.location).toBe(`/measures/responses/${row.id}`);
    const landed = await agent.get(String(res.headers.location));
    expect(landed.text).toContain('Thank you');
    expect(landed.text).toContain('href="/measures/progress"');
    expect(landed.text).not.toContain('116 123</a></li>');
    expect(await alertsOf(id)).toHaveLength(0);
    expect((await agent.get(page())).status).toBe(404);
    expect((await agent.get('/')).text).not.toContain('/measures/phq-9/answer');
  });

  it('a form with questions left out comes back at 400 naming each one, with the chosen answers still checked', async () => {
    const { id, agent } = await newMember();
    const res = await postForm(
      agent,
      '/measures/phq-9/answer',
      { subnet: ED(), 'item-1': '2', 'item-3': '1', 'item-9': '9' },
      page(),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    for (const n of [2, 4, 5, 6, 7, 8])
      expect(res.text).toContain(`<a href="#item-${n}">Choose an answer to question ${n}</a>`);
    expect(res.text).toContain('<a href="#item-9">Choose one of the answers to question 9</a>');
    expect(res.text).not.toContain('href="#item-10"'); // the difficulty question is optional
    expect(res.text).toMatch(/id="item-1-3" name="item-1" type="radio" value="2" checked/);
    expect(res.text).toMatch(/id="item-3-2" name="item-3" type="radio" value="1" checked/);
    expect(await t.db('measure_responses').where({ user_id: id })).toHaveLength(0);
  });

  it('"ask me later" puts it off for 3 days; "no thanks" stores a declined response', async () => {
    const { id, agent } = await newMember();
    const later = await postForm(agent, '/measures/phq-9/later', { subnet: ED() }, page());
    expect(later.headers.location).toBe('/?measure=later');
    expect((await agent.get('/?measure=later')).text).toContain('We will ask you again in 3 days.');
    const snooze = await t.db('measure_snoozes').where({ user_id: id }).first();
    expect(Math.round((snooze.until.getTime() - Date.now()) / 86_400_000)).toBe(3);
    expect((await agent.get(page())).status).toBe(404);
    await t
      .db('measure_snoozes')
      .where({ user_id: id })
      .update({ until: new Date(Date.now() - 1000) });
    expect((await agent.get(page())).status).toBe(200);
    const declined = await postForm(agent, '/measures/phq-9/decline', { subnet: ED() }, page());
    expect(declined.headers.location).toBe('/?measure=decline');
    expect(await t.db('measure_responses').where({ user_id: id })).toMatchObject([
      { status: 'declined', total: null, band: null, item_scores: null },
    ]);
    expect((await agent.get(page())).status).toBe(404);
  });

  it('is not offered before its first day, nor to staff, nor for another subnet', async () => {
    await postForm(
      await signIn(t.app, 'clinician'),
      `/subnets/${ED()}/measures`,
      { 'use-phq-9': 'yes', 'first-phq-9': '14', 'every-phq-9': '28' },
      `/subnets/${ED()}/measures`,
    );
    const early = await newMember(3);
    expect((await early.agent.get(page())).status).toBe(404);
    const later = await newMember(15);
    expect((await later.agent.get(page())).status).toBe(200);
    expect((await later.agent.get(`/measures/phq-9/answer?subnet=${ids.subnet('first-step')}`)).status).toBe(404);
    expect((await (await signIn(t.app, 'clinician')).get(page())).status).toBe(404);
    await postForm(
      await signIn(t.app, 'clinician'),
      `/subnets/${ED()}/measures`,
      { 'use-phq-9': 'yes', 'first-phq-9': '0', 'every-phq-9': '28' },
      `/subnets/${ED()}/measures`,
    );
  });
});

describe('PHQ-9 item 9 reaches the care team (H36)', () => {
  it('an answer to item 9 above "Not at all" stores exactly one alert with the response, and the member lands on the crisis contacts', async () => {
    const { id, agent } = await newMember();
    const res = await postForm(agent, '/measures/phq-9/answer', phq9(1, 0), page());
    expect(res.status).toBe(303);
    const response = await t.db('measure_responses').where({ user_id: id }).first();
    expect(response).toMatchObject({ total: 1, band: 'Minimal' });
    const alerts = await alertsOf(id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      subnet_id: ED(),
      measure_response_id: response.id,
      matched: 'PHQ-9 item 9: Several days',
      acknowledged_at: null,
    });
    const landed = await agent.get(String(res.headers.location));
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Thank you for telling us');
    // Nobody of the team is on duty or online: the page says so, truthfully, with the contacts first.
    expect(landed.text).toContain('nobody has seen your answer yet');
    expect(landed.text).not.toContain('has been told');
    expect(landed.text).toContain('href="tel:116123"');
    expect(landed.text).toContain('href="tel:111"');
    expect(landed.text).toContain('href="tel:999"');
    expect(landed.text.indexOf('href="tel:116123"')).toBeLessThan(landed.text.indexOf('nobody has seen your answer'));
    // Sent again (a double click, a second tab): still one response and one alert, and it lands on
    // the same page, crisis contacts and all, never on "not found".
    const again = await postForm(agent, '/measures/phq-9/answer', phq9(1, 0), '/');
    expect(again.status).toBe(303);
    expect(String(again.headers.location).split('?')[0]).toBe(String(res.headers.location).split('?')[0]);
    expect(await alertsOf(id)).toHaveLength(1);
  });

  it('with a clinician of the service on duty, the member reads that the team on duty has been told', async () => {
    const clinicianId = ids.user('clinician');
    await t.db('duty_sessions').insert({ user_id: clinicianId, subnet_id: ED() });
    try {
      const { agent } = await newMember();
      const res = await postForm(agent, '/measures/phq-9/answer', phq9(2, 0), page());
      expect(res.status).toBe(303);
      const landed = await agent.get(String(res.headers.location));
      expect(landed.text).toContain('The team on duty at Eating Disorders has been told');
      expect(landed.text).not.toContain('nobody has seen your answer yet');
      expect(landed.text).toContain('href="tel:116123"');
    } finally {
      await t.db('duty_sessions').where({ user_id: clinicianId, subnet_id: ED() }).whereNull('ended_at').delete();
    }
  });

  it('when the alert cannot be stored, the response is not stored either, and the measure is still offered', async () => {
    const { id, agent } = await newMember();
    await t.db.raw(`CREATE FUNCTION test_refuse_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'alert refused by the test'; END $$`);
    await t.db.raw(
      'CREATE TRIGGER test_refuse_alert BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION test_refuse_alert()',
    );
    try {
      const res = await postForm(agent, '/measures/phq-9/answer', phq9(3, 0), page());
      expect(res.status).toBe(500);
      expect(await t.db('measure_responses').where({ user_id: id })).toHaveLength(0);
    } finally {
      await t.db.raw('DROP TRIGGER test_refuse_alert ON alerts');
      await t.db.raw('DROP FUNCTION test_refuse_alert()');
    }
    expect((await agent.get(page())).status).toBe(200);
    expect((await postForm(agent, '/measures/phq-9/answer', phq9(3, 0), page())).status).toBe(303);
    expect(await alertsOf(id)).toHaveLength(1);
  });

  it('when the response cannot be stored, no alert is raised', async () => {
    const { id, agent } = await newMember();
    const before = Number((await t.db('alerts').count('* as n').first())?.n);
    await t.db.raw(`CREATE FUNCTION test_refuse_response() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'response refused by the test'; END $$`);
    await t.db.raw(
      'CREATE TRIGGER test_refuse_response BEFORE INSERT ON measure_responses FOR EACH ROW EXECUTE FUNCTION test_refuse_response()',
    );
    try {
      expect((await postForm(agent, '/measures/phq-9/answer', phq9(2, 0), page())).status).toBe(500);
    } finally {
      await t.db.raw('DROP TRIGGER test_refuse_response ON measure_responses');
      await t.db.raw('DROP FUNCTION test_refuse_response()');
    }
    expect(await t.db('measure_responses').where({ user_id: id })).toHaveLength(0);
    expect(Number((await t.db('alerts').count('* as n').first())?.n)).toBe(before);
  });

  it('nobody else can open a member’s landing page', async () => {
    const { id, agent } = await newMember();
    await postForm(agent, '/measures/phq-9/answer', phq9(0, 0), page());
    const row = await t.db('measure_responses').where({ user_id: id }).first();
    const other = await newMember();
    expect((await other.agent.get(`/measures/responses/${row.id}`)).status).toBe(404);
    expect((await (await signIn(t.app, 'clinician')).get(`/measures/responses/${row.id}`)).status).toBe(404);
  });
});
