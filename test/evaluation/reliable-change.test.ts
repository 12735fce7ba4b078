import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessages, makeUser } from '../helpers/factories.js';
import { score, type InstrumentDefinition } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import { activeShare, engagementBand, shownProportion } from '../../src/evaluation/reliable-change.js';

// Known scores and activity in May and June 2026 (weeks starting 4, 11, 18, 25 May and 1 June): each
// member scores on Tuesday 5 May and Tuesday 2 June, so their span is 5 weeks.
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let clinician: TestAgent;
const range = 'from=2026-05-01&to=2026-06-30';
const FIRST = '2026-05-05T12:00:00Z';
const LAST = '2026-06-02T12:00:00Z';
const WEEKS = ['2026-05-06', '2026-05-13', '2026-05-20', '2026-05-27', '2026-06-03'];

/** Item scores that add up to `total` (PHQ-9 item 9 stays at 0), scored by the published rule. */
function answered(d: InstrumentDefinition, total: number) {
  const items: Record<string, number> = {};
  let left = total;
  for (const item of d.items.filter((i) => i.scored)) {
    items[item.linkId] = item.alertAtOrAbove === undefined ? Math.min(3, left) : 0;
    left -= items[item.linkId] ?? 0;
  }
  const s = score(d, items);
  return { item_scores: JSON.stringify(items), total: s.total, band: s.band, status: 'answered' };
}

interface Plan {
  phq: [number, number] | [number];
  gad: [number, number] | [number];
  activeWeeks: number;
  count: number;
}

// over half (active 5 of 5 weeks): 20 members, 8 reliably improved (5 recovered), none deteriorated,
// 15 at caseness. A quarter to a half (2 of 5): 5 members, none improved, 2 deteriorated, 3 at
// caseness. Under a quarter (1 of 5): 3 members, PHQ-9 paired only. One member scored once.
const PLANS: Plan[] = [
  { phq: [15, 8], gad: [10, 6], activeWeeks: 5, count: 5 },
  { phq: [15, 9], gad: [12, 10], activeWeeks: 5, count: 3 },
  { phq: [12, 11], gad: [9, 9], activeWeeks: 5, count: 7 },
  { phq: [5, 5], gad: [3, 3], activeWeeks: 5, count: 5 },
  { phq: [12, 12], gad: [9, 9], activeWeeks: 2, count: 3 },
  { phq: [5, 12], gad: [3, 3], activeWeeks: 2, count: 2 },
  { phq: [14, 6], gad: [9], activeWeeks: 1, count: 3 },
  { phq: [20], gad: [15], activeWeeks: 5, count: 1 },
];

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  clinician = await signIn(t.app, 'clinician');
  const subnetId = ids.subnet('eating-disorders');
  const rows: Record<string, unknown>[] = [];
  const messages: Parameters<typeof makeMessages>[1] = [];
  let n = 0;
  const memberIds: string[][] = PLANS.map(() => []);
  for (const [p, plan] of PLANS.entries())
    for (let i = 0; i < plan.count; i++) {
      const member = await makeUser(t.db, {
        username: `rc${n++}`,
        subnetId,
        cohortId: ids.cohort('eating-disorders/anorexia'),
        startedAt: new Date('2026-04-01T00:00:00Z'),
      });
      memberIds[p]?.push(member.id);
      const base = { user_id: member.id, subnet_id: subnetId };
      for (const [d, totals] of [
        [PHQ_9, plan.phq],
        [GAD_7, plan.gad],
      ] as const)
        totals.forEach((total, k) =>
          rows.push({
            ...base,
            instrument_key: d.key,
            instrument_version: d.version,
            due_at: new Date(k === 0 ? FIRST : LAST),
            answered_at: new Date(k === 0 ? FIRST : LAST),
            ...answered(d, total),
          }),
        );
      for (const week of WEEKS.slice(0, plan.activeWeeks))
        messages.push({
          roomId: ids.room('Anorexia living room'),
          authorId: member.id,
          body: 'x',
          createdAt: new Date(`${week}T12:00:00Z`),
        });
    }
  // Members of the unchanged group (PHQ-9 12 → 11): a PHQ-9 of 27 before the period and a declined
  // PHQ-9 after their last score would each make them improved if they counted. A recovered member
  // also answers twice in First Step, where they wrote nothing.
  const [before, declining] = [memberIds[2]?.[0], memberIds[2]?.[1]];
  const both = memberIds[0]?.[0];
  const at = (iso: string) => ({ due_at: new Date(iso), answered_at: new Date(iso) });
  const phq = { instrument_key: PHQ_9.key, instrument_version: PHQ_9.version };
  rows.push({ ...phq, user_id: before, subnet_id: subnetId, ...at('2026-04-20T12:00:00Z'), ...answered(PHQ_9, 27) });
  rows.push({
    ...phq,
    user_id: declining,
    subnet_id: subnetId,
    ...at('2026-06-10T12:00:00Z'),
    status: 'declined',
    item_scores: null,
    total: null,
    band: null,
  });
  await t.db('memberships').insert({
    user_id: both,
    subnet_id: ids.subnet('first-step'),
    cohort_id: ids.cohort('first-step/waiting'),
  });
  for (const [iso, total] of [
    [FIRST, 20],
    [LAST, 21],
  ] as const)
    rows.push({ ...phq, user_id: both, subnet_id: ids.subnet('first-step'), ...at(iso), ...answered(PHQ_9, total) });
  await t.db('measure_responses').insert(rows);
  await makeMessages(t.db, messages);
});
afterAll(async () => {
  await t.close();
});

const ED = () => `subnet=${ids.subnet('eating-disorders')}&${range}`;
const EXPECTED_CSV = [
  'weeks_active_between_first_and_last_score,members_paired,reliable_improvement,reliable_improvement_pct,reliable_improvement_ci95_low_pct,reliable_improvement_ci95_high_pct,at_caseness_at_first,reliable_recovery,reliable_recovery_pct_of_caseness,reliable_recovery_ci95_low_pct,reliable_recovery_ci95_high_pct,reliable_deterioration,reliable_deterioration_pct,reliable_deterioration_ci95_low_pct,reliable_deterioration_ci95_high_pct',
  'under a quarter,<5,<5,,,,<5,<5,,,,0,,,',
  'a quarter to a half,5,0,0.0,0.0,43.4,<5,0,,,,<5,,,',
  'over half,20,8,40.0,21.9,61.3,15,5,33.3,15.2,58.3,0,0.0,0.0,16.1',
  '',
].join('\n');

describe('reliable change by engagement on the evaluation dashboard', () => {
  it('bands members by the share of weeks active between first and last score: under a quarter, a quarter to a half, over half', () => {
    expect([0, 0.2, 0.249, 0.25, 0.5, 0.51, 1].map(engagementBand)).toEqual([
      'under a quarter',
      'under a quarter',
      'under a quarter',
      'a quarter to a half',
      'a quarter to a half',
      'over half',
      'over half',
    ]);
    const member = { userId: 'u', subnetId: 's', firstAt: new Date(FIRST), lastAt: new Date(LAST), pairs: [] };
    // Weeks 4 May to 1 June (5); activity in April does not count.
    expect(activeShare(member, new Set(['2026-04-27', '2026-05-04', '2026-05-18']), 'Europe/London')).toBe(0.4);
  });

  it('suppresses counts of 1 to 4 and the percentages and intervals built on them; 0 and 5 are shown', () => {
    expect(shownProportion(0, 5)).toEqual({ count: '0', percent: '0.0', low: '0.0', high: '43.4' });
    expect(shownProportion(5, 5)).toEqual({ count: '5', percent: '100.0', low: '56.6', high: '100.0' });
    for (const c of [1, 2, 3, 4])
      expect(shownProportion(c, 20)).toEqual({ count: '<5', percent: '', low: '', high: '' });
    for (const n of [1, 2, 3, 4]) expect(shownProportion(0, n)).toEqual({ count: '0', percent: '', low: '', high: '' });
    expect(shownProportion(0, 0)).toEqual({ count: '0', percent: '', low: '', high: '' });
  });

  it('gives the known answers in the CSV: paired first/last scores, Wilson intervals, a single score not counted', async () => {
    const res = await clinician.get(`/evaluation/reliable-change.csv?${ED()}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text).toBe(EXPECTED_CSV);
  });

  it('shows the same figures on the page as in the CSV, with the observational statement and who was not counted', async () => {
    const res = await clinician.get(`/evaluation?${ED()}`);
    expect(res.status).toBe(200);
    const html = res.text.replace(/\s+/g, ' ');
    expect(html).toContain('An observational comparison');
    expect(html).toContain('association, not that taking part caused it');
    expect(html).toContain('Members who answered only once are not counted: &lt;5.');
    // The chart draws the same shown figures: a dot at 40.0% for over half, none for a suppressed band.
    const chart = html.slice(
      html.indexOf('id="reliable-improvement-title"'),
      html.indexOf('</svg>', html.indexOf('id="reliable-improvement-title"')),
    );
    expect(chart).toMatch(/>Under a quarter<\/text> <text [^>]*>not shown \(small numbers\)<\/text>/);
    expect(chart).toMatch(/<circle cx="[\d.]+" cy="[\d.]+" r="6" fill="#005eb8"\/> <text [^>]*>40\.0%<\/text>/);
    expect(chart.match(/<circle /g)?.length).toBe(2);
    expect(html).not.toMatch(/\b29 members\b/);
    const table = html.slice(
      html.indexOf('id="reliable-change-table"'),
      html.indexOf('</table>', html.indexOf('id="reliable-change-table"')),
    );
    // Each cell's own text (the headings repeated for narrow screens are hidden from screen readers).
    const pageRows = [...table.matchAll(/<tr role="row" class="nhsuk-table__row">(.*?)<\/tr>/g)].map((m) =>
      [...(m[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) =>
        (c[1] ?? '')
          .replace(/<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*<\/span>/, '')
          .replace(/&lt;/g, '<'),
      ),
    );
    const cell = (count: string, pct: string, low: string, high: string) =>
      pct === '' ? count : `${count}: ${pct}% (95% CI ${low}% to ${high}%)`;
    const fromCsv = EXPECTED_CSV.trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','))
      .map((r) => [
        `Active in ${r[0]} of weeks`,
        r[1],
        cell(r[2] ?? '', r[3] ?? '', r[4] ?? '', r[5] ?? ''),
        r[6],
        cell(r[7] ?? '', r[8] ?? '', r[9] ?? '', r[10] ?? ''),
        cell(r[11] ?? '', r[12] ?? '', r[13] ?? '', r[14] ?? ''),
      ]);
    expect(pageRows).toEqual(fromCsv);
    expect(html).toContain(
      `href="/evaluation/reliable-change.csv?subnet=${ids.subnet('eating-disorders')}&amp;from=2026-05-01&amp;to=2026-06-30"`,
    );
  });

  it('counts a member of two services in each, engaged by what they did in that service; only where the viewer may see it', async () => {
    const res = await clinician.get(`/evaluation/reliable-change.csv?subnet=${ids.subnet('first-step')}&${range}`);
    expect(res.text.trim().split('\n').slice(1)).toEqual([
      'under a quarter,<5,0,,,,<5,0,,,,0,,,',
      'a quarter to a half,0,0,,,,0,0,,,,0,,,',
      'over half,0,0,,,,0,0,,,,0,,,',
    ]);
    const carers = await clinician.get(`/evaluation/reliable-change.csv?subnet=${ids.subnet('ed-carers')}&${range}`);
    expect(carers.status).toBe(404);
    const peermod = await signIn(t.app, 'peermod');
    expect((await peermod.get(`/evaluation/reliable-change.csv?${ED()}`)).status).toBe(404);
  });
});
