import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { makeSubnet, makeUser, type MadeSubnet, type MadeUser } from '../helpers/factories.js';
import { insertResponse } from '../helpers/measures.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';

let t: TestApp;
let s: MadeSubnet;
let other: MadeSubnet;
let anna: MadeUser;
let bea: MadeUser;
let quiet: MadeUser;
let olly: MadeUser;
const staff: Record<string, MadeUser> = {};

/** The rows of the first table on a page after a caption containing `caption`, as cell texts. */
const tableRows = (html: string, caption: string): string[][] => {
  const start = html.indexOf(caption);
  if (start < 0) return [];
  const body = html.slice(start, html.indexOf('</table>', start));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .map((m) =>
      [...(m[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => (c[1] ?? '').replace(/<[^>]+>/g, '').trim()),
    )
    .filter((cells) => cells.length > 0);
};

beforeAll(async () => {
  t = await startTestApp();
  s = await makeSubnet(t.db, { name: 'Mood Service', cohorts: ['mood'] });
  other = await makeSubnet(t.db, { name: 'Anxiety Service', cohorts: ['anxiety'] });
  const inS = { subnetId: s.id, cohortId: s.cohorts.mood };
  const inOther = { subnetId: other.id, cohortId: other.cohorts.anxiety };
  anna = await makeUser(t.db, { nickname: 'Anna Progress', ...inS });
  bea = await makeUser(t.db, { nickname: 'Bea Progress', ...inS });
  quiet = await makeUser(t.db, { nickname: 'Quiet Progress', ...inS });
  olly = await makeUser(t.db, { nickname: 'Olly Progress', ...inOther });
  // Anna is in both services (moved along her pathway, keeping the first for now).
  await t.db('memberships').insert({ user_id: anna.id, subnet_id: other.id, cohort_id: other.cohorts.anxiety });
  staff.clinician = await makeUser(t.db, { role: 'clinician', subnetId: s.id });
  staff.otherClinician = await makeUser(t.db, { role: 'clinician', subnetId: other.id });
  staff.peer = await makeUser(t.db, { role: 'peer_moderator', subnetId: s.id });

  const a = { userId: anna.id, subnetId: s.id };
  await insertResponse(t.db, a, PHQ_9, '2026-01-05', 18);
  await insertResponse(t.db, a, PHQ_9, '2026-02-02', 14, { '9': 1 });
  await insertResponse(t.db, a, PHQ_9, '2026-03-02', 'declined');
  await insertResponse(t.db, a, PHQ_9, '2026-03-30', 11);
  await insertResponse(t.db, a, GAD_7, '2026-01-05', 9);
  // Anna's answer in the other service: hers to see, not the first service's clinician's.
  await insertResponse(t.db, { userId: anna.id, subnetId: other.id }, PHQ_9, '2026-04-27', 7);
  // Bea's scores, on dates Anna has none.
  await insertResponse(t.db, { userId: bea.id, subnetId: s.id }, PHQ_9, '2026-01-12', 23);
  await insertResponse(t.db, { userId: bea.id, subnetId: s.id }, PHQ_9, '2026-02-16', 26);
});
afterAll(async () => {
  await t.close();
});

describe('a member’s own progress page, GET /measures/progress', () => {
  it('shows Anna her own scores of every measure, in every service, as a chart and a table, in plain words', async () => {
    const res = await (await signIn(t.app, anna.username)).get('/measures/progress');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title id="progress-phq-9-title">Your PHQ-9 scores over time</title>');
    expect(res.text).toMatch(/<svg [^>]*role="img" aria-labelledby="progress-phq-9-title progress-phq-9-desc"/);
    expect(res.text).toContain(
      'Your first score was 18 (Moderately severe) and your latest was 7 (Mild), 11 points lower than your first.',
    );
    expect(res.text).toContain('Lower scores mean fewer problems in the last 2 weeks.');
    expect(tableRows(res.text, 'Your PHQ-9 scores')).toEqual([
      ['5 January 2026', '18', 'Moderately severe', 'Mood Service'],
      ['2 February 2026', '14', 'Moderate', 'Mood Service'],
      ['30 March 2026', '11', 'Moderate', 'Mood Service'],
      ['27 April 2026', '7', 'Mild', 'Anxiety Service'],
    ]);
    expect(tableRows(res.text, 'Your GAD-7 scores')).toEqual([['5 January 2026', '9', 'Mild']]);
    expect(res.text).toContain('0 to 4: minimal');
  });

  it('never shows one member another’s scores: Bea sees only hers, Anna none of Bea’s', async () => {
    const annaPage = (await (await signIn(t.app, anna.username)).get('/measures/progress')).text;
    expect(annaPage).not.toContain('12 January 2026');
    expect(annaPage).not.toContain('16 February 2026');
    const beaPage = await (await signIn(t.app, bea.username)).get('/measures/progress');
    expect(tableRows(beaPage.text, 'Your PHQ-9 scores')).toEqual([
      ['12 January 2026', '23', 'Severe'],
      ['16 February 2026', '26', 'Severe'],
    ]);
    expect(beaPage.text).not.toContain('GAD-7');
    expect(beaPage.text).not.toContain('5 January 2026');
  });

  it('has no judgement in it: no better, worse, well done or warning colours', async () => {
    const page = (await (await signIn(t.app, anna.username)).get('/measures/progress')).text;
    const main = page.slice(page.indexOf('<h1>'), page.lastIndexOf('</section>'));
    expect(main).not.toMatch(/\b(better|worse|worsen|improv|deteriorat|well done|good news|bad news)/i);
    expect(main).not.toMatch(/nhsuk-tag--(red|green)|#d5281b|#007f3b/);
  });

  it('says what will appear to a member with no scores yet', async () => {
    const res = await (await signIn(t.app, quiet.username)).get('/measures/progress');
    expect(res.status).toBe(200);
    expect(res.text).toContain('your scores will appear here over time');
    expect(res.text).not.toContain('<svg class="sharon-chart"');
  });

  it('is linked from a member’s lobby and account page, and not from a staff member’s', async () => {
    const link = '<a href="/measures/progress">Your progress: your questionnaire scores over time</a>';
    const member = await signIn(t.app, quiet.username);
    expect((await member.get('/')).text).toContain(link);
    expect((await member.get('/account')).text).toContain(link);
    expect((await (await signIn(t.app, staff.clinician?.username ?? '')).get('/account')).text).not.toContain(
      '/measures/progress',
    );
  });

  it('does not exist for staff (404), whose view of scores is the member page', async () => {
    for (const who of [staff.clinician, staff.peer])
      expect((await (await signIn(t.app, who?.username ?? '')).get('/measures/progress')).status).toBe(404);
    expect((await (await signIn(t.app, 'admin')).get('/measures/progress')).status).toBe(404);
  });
});

const memberPage = (subnetId: string, userId: string) => `/subnets/${subnetId}/members/${userId}`;
const viewsOf = async (userId: string) =>
  Number(
    (await t.db('audit_log').where({ action: 'measures.view', target_type: 'user', target_id: userId }).count())[0]
      ?.count,
  );

describe('the clinician’s member page: Outcome measures', () => {
  it('shows the trajectory in this service: chart, table with question 9 flagged, reliable change and caseness', async () => {
    const res = await (await signIn(t.app, staff.clinician?.username ?? '')).get(memberPage(s.id, anna.id));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h2 id="outcome-measures">Outcome measures</h2>');
    expect(res.text).toContain('<title id="member-phq-9-title">PHQ-9 (Depression) totals over time</title>');
    expect(tableRows(res.text, 'PHQ-9 answers of Anna Progress')).toEqual([
      ['5 January 2026', '18', 'Moderately severe', 'Not at all (0)'],
      ['2 February 2026', '14', 'Moderate', 'Flagged Several days (1)'],
      ['30 March 2026', '11', 'Moderate', 'Not at all (0)'],
    ]);
    // 18 → 11 is down 7, at least PHQ-9's 6; still at caseness (10) at both ends.
    expect(res.text).toContain('Reliable improvement (reliable change is 6 points or more)');
    expect(res.text).toContain('18 (Moderately severe) on 5 January 2026, at or above caseness (10)');
    expect(res.text).toContain('11 (Moderate) on 30 March 2026, at or above caseness (10)');
    expect(res.text).toContain('Declined once: 2 March 2026.');
    // GAD-7 once: nothing to compare yet.
    expect(res.text).toContain('Not yet: one score so far');
    // The other service's answer (27 April) stays with that service's staff.
    expect(res.text).not.toContain('27 April 2026');
    expect(res.text).toContain(
      `<form action="/subnets/${s.id}/members/${anna.id}/measures.fhir.json" method="post" novalidate>`,
    );
  });

  it('writes one audit row per view that shows measures, naming the member', async () => {
    const clinician = await signIn(t.app, staff.clinician?.username ?? '');
    const before = await viewsOf(anna.id);
    await clinician.get(memberPage(s.id, anna.id));
    await clinician.get(memberPage(s.id, anna.id));
    expect(await viewsOf(anna.id)).toBe(before + 2);
    const row = await t
      .db('audit_log')
      .where({ action: 'measures.view', target_id: anna.id })
      .orderBy('id', 'desc')
      .first();
    expect(row).toMatchObject({ actor_id: staff.clinician?.id, target_type: 'user', outcome: 'ok' });
    expect(row.details).toMatchObject({ subnet_id: s.id, responses: 5 });
  });

  it('with nothing answered: says so, offers no download and records no view of scores', async () => {
    const res = await (await signIn(t.app, staff.clinician?.username ?? '')).get(memberPage(s.id, quiet.id));
    expect(res.status).toBe(200);
    expect(res.text).toContain('No outcome measures answered or declined in Mood Service yet.');
    expect(res.text).not.toContain('measures.fhir.json');
    expect(await viewsOf(quiet.id)).toBe(0);
  });

  it('is not there for anyone else: staff of another service, a peer moderator, members (404), and nothing is audited as a view', async () => {
    const before = await viewsOf(anna.id);
    for (const who of [staff.otherClinician, staff.peer, bea, olly, anna]) {
      const res = await (await signIn(t.app, who?.username ?? '')).get(memberPage(s.id, anna.id));
      expect(res.status, who?.username).toBe(404);
      expect(res.text).not.toContain('Outcome measures');
    }
    expect(await viewsOf(anna.id)).toBe(before);
  });
});
