import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
let helpfulness = '';
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  helpfulness = (await t.db('questionnaires').where({ slug: 'helpfulness' }).first()).id;
  for (const u of ['admin', 'clinician', 'peermod', 'anna', 'bella']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;
const ed = () => ids.subnet('eating-disorders');
const joinedDaysAgo = (user: string, days: number) =>
  t
    .db('memberships')
    .where({ user_id: ids.user(user), subnet_id: ed() })
    .update({ started_at: new Date(Date.now() - days * 86_400_000) });
const url = () => `/surveys/${helpfulness}?subnet=${ed()}`;

describe('the helpfulness survey', () => {
  it('is not offered before 4 weeks; is offered after; anna answers and is not asked again this time', async () => {
    await joinedDaysAgo('anna', 10);
    expect((await as('anna').get('/')).text).not.toContain('Has this network helped?');
    expect((await as('anna').get(url())).status).toBe(404);
    await joinedDaysAgo('anna', 30);
    expect((await as('anna').get('/')).text).toContain('Has this network helped?');
    const page = await as('anna').get(url());
    expect(page.text).toContain('This network has helped my recovery');
    const empty = await postForm(as('anna'), `/surveys/${helpfulness}`, { subnet: ed() }, url());
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Answer “This network has helped my recovery”');
    const res = await postForm(
      as('anna'),
      `/surveys/${helpfulness}`,
      { subnet: ed(), 'q-1': '5', 'q-2': 'It helped at night.' },
      url(),
    );
    expect(res.status).toBe(303);
    expect((await as('anna').get('/')).text).not.toContain('Answer now');
    expect((await as('anna').get(url())).status).toBe(404);
  });

  it('a member can put it off (asked again later) or decline', async () => {
    await joinedDaysAgo('bella', 30);
    expect((await postForm(as('bella'), `/surveys/${helpfulness}/later`, { subnet: ed() }, url())).status).toBe(303);
    expect((await as('bella').get(url())).status).toBe(404);
    await t
      .db('survey_snoozes')
      .where({ user_id: ids.user('bella') })
      .update({ until: new Date(Date.now() - 1000) });
    expect((await as('bella').get(url())).status).toBe(200);
    expect((await postForm(as('bella'), `/surveys/${helpfulness}/decline`, { subnet: ed() }, url())).status).toBe(303);
    expect(
      await t
        .db('survey_responses')
        .where({ user_id: ids.user('bella'), status: 'declined' })
        .first(),
    ).toBeTruthy();
  });

  it('staff are never offered it, and nobody can answer for another subnet', async () => {
    expect((await as('clinician').get(url())).status).toBe(404);
    expect((await as('anna').get(`/surveys/${helpfulness}?subnet=${ids.subnet('ed-carers')}`)).status).toBe(404);
    expect((await as('anna').get(`/surveys/${helpfulness}`)).status).toBe(404);
  });
});

describe('questionnaires of a subnet', () => {
  it('a clinician writes one; a member answers it; results show counts with suppression; others get 404', async () => {
    const list = `/subnets/${ed()}/questionnaires`;
    const bad = await postForm(
      as('clinician'),
      list,
      { title: 'Groups', firstAfterDays: '0', repeatEveryDays: '', 'q1-text': 'Rate us', action: 'save' },
      list,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Question 1: choose the type of answer');
    const res = await postForm(
      as('clinician'),
      list,
      {
        title: 'How are the groups?',
        firstAfterDays: '0',
        repeatEveryDays: '',
        'q1-text': 'Which helps most?',
        'q1-kind': 'single_choice',
        'q1-option-1': 'Living room',
        'q1-option-2': 'Noticeboard',
        'q1-option-3': 'Library',
        'q1-required': 'yes',
        'q2-text': 'Tell us more',
        'q2-kind': 'free_text',
        action: 'save',
      },
      list,
    );
    expect(res.status).toBe(303);
    const qid = /questionnaires\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
    const answer = await postForm(
      as('anna'),
      `/surveys/${qid}`,
      { subnet: ed(), 'q-1': 'Living room', 'q-2': 'The night chat.' },
      `/surveys/${qid}?subnet=${ed()}`,
    );
    expect(answer.status).toBe(303);
    const results = await as('clinician').get(`${list}/${qid}`);
    expect(results.text).toMatch(/Living room<\/td><td[^>]*>&lt;5<\/td>/);
    expect(results.text).not.toContain('The night chat.'); // one written answer: shown only from 5 (test/surveys/free-text.test.ts)
    expect(results.text).toContain('Written answers so far: &lt;5.');
    expect((await as('admin').get(`${list}/${qid}`)).status).toBe(200);
    for (const u of ['peermod', 'anna', 'bella']) expect((await as(u).get(`${list}/${qid}`)).status).toBe(404);
    const forged = await postForm(as('anna'), `/surveys/${qid}`, { subnet: ed(), 'q-1': 'Something else' }, '/');
    expect(forged.status).toBe(404); // already answered: not due any more
  });
});
