import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { MAINTENANCE_TIMEOUTS } from '../../src/db/connection.js';
import type TestAgent from 'supertest/lib/agent.js';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { demoIds } from '../helpers/demo.js';
import { seedActivity, type ActivityTotals } from '../../seeds/activity/index.js';
import { score } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';

// The demo's generated activity (seeds/activity), on a database of its own: the template every
// other test copies stays quiet (demo people only), so their expectations are not disturbed.

const NOW = new Date('2026-11-18T15:30:00Z');
let t: TestApp;
let totals: ActivityTotals;
let admin: TestAgent;
let seedMs = 0;
const day = (d: Date) => d.toISOString().slice(0, 10);
// The whole generated period, from well before its first day to the day it ends.
const range = `from=${day(new Date(NOW.getTime() - 200 * 86_400_000))}&to=${day(NOW)}`;
const csvRow = (text: string) => text.trim().split('\n').slice(1);

beforeAll(async () => {
  t = await startTestApp();
  const started = performance.now();
  totals = await seedActivity(t.db, { now: NOW });
  seedMs = performance.now() - started;
  admin = await signIn(t.app, 'admin');
}, 120_000);
afterAll(async () => {
  await t.close();
});

describe('the demo that is alive', () => {
  it('generates twelve weeks of every kind of activity, ending now', () => {
    // Bulk inserts: a first start stays well inside its 15 seconds (the bench measures the whole start).
    expect(seedMs).toBeLessThan(15_000);
    expect(totals.firstDay <= day(new Date(NOW.getTime() - 83 * 86_400_000))).toBe(true);
    expect(totals.memberMessages).toBeGreaterThan(2000);
    expect(totals.threads).toBeGreaterThan(50);
    expect(totals.staffReplies).toBeGreaterThan(30);
    expect(totals.careMessages).toBeGreaterThan(50);
    expect(totals.alertsAcknowledged).toBeGreaterThan(5);
    expect(totals.reportsHandled).toBeGreaterThan(5);
    expect(totals.keysRedeemed).toBeGreaterThan(20);
    expect(totals.surveyAnswers).toBeGreaterThan(20);
    expect(totals.bedDays).toBeGreaterThan(30);
    // About 80% agree that the network helped, as SHaRON's own survey found.
    expect(totals.surveyAgree / totals.surveyAnswers).toBeGreaterThan(0.7);
    expect(totals.surveyAgree / totals.surveyAnswers).toBeLessThan(0.9);
  });

  it("shows the generator's known totals on the evaluation dashboard and in its exports", async () => {
    const get = async (dataset: string) => {
      const res = await admin.get(`/evaluation/${dataset}.csv?${range}`);
      expect(res.status).toBe(200);
      return csvRow(res.text);
    };
    const page = await admin.get(`/evaluation?${range}`);
    expect(page.status).toBe(200);
    const [ooh] = await get('out-of-hours');
    const [outOfHours, total] = (ooh ?? '').split(',').map(Number);
    expect(total).toBe(totals.memberActivity);
    // Conversations at all hours: a good share is outside 9 to 5 on weekdays.
    expect((outOfHours ?? 0) / totals.memberActivity).toBeGreaterThan(0.4);
    expect(await get('survey')).toEqual([`${totals.surveyAgree},${totals.surveyAnswers}`]);
    expect(await get('keys')).toEqual([`${totals.keysIssued},${totals.keysRedeemed}`]);
    const responses = Object.fromEntries((await get('response-times')).map((l) => [l.split(',')[0], l.split(',')[1]]));
    expect(responses.alerts).toBe(String(totals.alertsAcknowledged));
    expect(responses.reports).toBe(String(totals.reportsHandled));
    expect(responses.care_team).toBe(String(totals.careMessages - totals.memberCareMessages));
    const outcomes = (await get('outcomes')).map((l) => l.split(','));
    expect(outcomes.map((g) => g[0])).toEqual(['engaged', 'less engaged']);
    expect(outcomes.reduce((sum, g) => sum + Number(g[2]), 0)).toBe(totals.bedDays);
  }, 180_000);

  it('gives outcomes by engagement a difference to show in the Eating Disorders service', async () => {
    const ids = await demoIds(t.db);
    const res = await admin.get(`/evaluation/outcomes.csv?subnet=${ids.subnet('eating-disorders')}&${range}`);
    const [engaged, less] = csvRow(res.text).map((l) => l.split(','));
    // The demo's story (not a finding): less engaged members spend more days in hospital per member-month.
    expect(Number(engaged?.[1])).toBeGreaterThan(20);
    expect(Number(less?.[1])).toBeGreaterThan(20);
    expect(Number(less?.[3])).toBeGreaterThan(Number(engaged?.[3]));
  }, 60_000);

  it('shows reliable change by engagement from the generated PHQ-9 and GAD-7 scores, matching the generator', async () => {
    const res = await admin.get(`/evaluation/reliable-change.csv?${range}`);
    expect(res.status).toBe(200);
    const bands = csvRow(res.text).map((l) => l.split(','));
    expect(bands.map((b) => b[0])).toEqual(['under a quarter', 'a quarter to a half', 'over half']);
    // Every band has enough paired members to be shown, and they add up to the generator's pairs.
    expect(bands.every((b) => Number(b[1]) >= 5)).toBe(true);
    expect(bands.reduce((sum, b) => sum + Number(b[1]), 0)).toBe(totals.reliableChangePaired);
    // A suppressed count is 1 to 4: the generator's total lies within what the bands allow.
    const within = (column: number, total: number) => {
      const shown = bands.reduce((sum, b) => sum + (b[column] === '<5' ? 0 : Number(b[column])), 0);
      const hidden = bands.filter((b) => b[column] === '<5').length;
      expect(total).toBeGreaterThanOrEqual(shown + hidden);
      expect(total).toBeLessThanOrEqual(shown + 4 * hidden);
    };
    within(2, totals.reliableChangeImproved);
    within(6, totals.reliableChangeAtCaseness);
    within(7, totals.reliableChangeRecovered);
    within(11, totals.reliableChangeDeteriorated);
    // The demo's story (not a finding): most improve, the more engaged more; a few get worse.
    const [low, , high] = bands;
    expect(Number(high?.[3])).toBeGreaterThan(Number(low?.[3]));
    expect(totals.reliableChangeImproved / totals.reliableChangePaired).toBeGreaterThan(0.5);
    expect(totals.reliableChangeDeteriorated).toBeGreaterThanOrEqual(1);
    expect(totals.reliableChangeDeteriorated).toBeLessThan(totals.reliableChangePaired / 10);
    const page = await admin.get(`/evaluation?${range}`);
    const once = totals.reliableChangeScored - totals.reliableChangePaired;
    expect(page.text).toContain(
      `Members who answered only once are not counted: ${once >= 1 && once <= 4 ? '&lt;5' : once}.`,
    );
  }, 60_000);

  it('generates PHQ-9 and GAD-7 on the demo schedule, scored by the published rule, with item 9 always "Not at all"', async () => {
    const schedules = await t
      .db('subnet_measures as m')
      .join('subnets as s', 's.id', 'm.subnet_id')
      .orderBy(['s.slug', 'm.instrument_key'])
      .select('s.slug', 'm.instrument_key', 'm.first_after_days', 'm.repeat_every_days');
    expect(schedules.map((r) => `${r.slug} ${r.instrument_key} ${r.first_after_days}+${r.repeat_every_days}`)).toEqual(
      ['eating-disorders', 'first-step', 'perinatal', 'veterans-trauma'].flatMap((s) => [
        `${s} gad-7 0+28`,
        `${s} phq-9 0+28`,
      ]),
    );
    const rows = await t.db('measure_responses').select('instrument_key', 'status', 'item_scores', 'total', 'band');
    expect(rows.filter((r) => r.status === 'answered').length).toBe(totals.measureAnswers);
    expect(rows.filter((r) => r.status === 'declined').length).toBe(totals.measureDeclines);
    expect(totals.measureDeclines).toBeGreaterThan(0);
    for (const r of rows.filter((x) => x.status === 'answered')) {
      const d = r.instrument_key === 'phq-9' ? PHQ_9 : GAD_7;
      expect(score(d, r.item_scores)).toEqual({ total: r.total, band: r.band, alerts: [] });
    }
    expect(await t.db('alerts').whereNotNull('measure_response_id').first()).toBeUndefined();
  });

  it('puts messages in every hour band and on weekends (the heat map is not office hours only)', async () => {
    const res = await admin.get(`/evaluation/heatmap.csv?${range}`);
    const rows = csvRow(res.text).map((l) =>
      l
        .split(',')
        .slice(1)
        .map((x) => (x === '<5' ? 1 : Number(x))),
    );
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const nights = sum(rows.flatMap((r) => r.slice(0, 6)));
    const weekend = sum([...(rows[5] ?? []), ...(rows[6] ?? [])]);
    expect(nights).toBeGreaterThan(100);
    expect(weekend).toBeGreaterThan(300);
  }, 60_000);

  it('leaves recent work waiting for staff: held messages, an unacknowledged alert, open reports, care-team messages', async () => {
    const ids = await demoIds(t.db);
    const clinician = await signIn(t.app, 'clinician');
    const queue = await clinician.get(`/subnets/${ids.subnet('eating-disorders')}/moderation`);
    expect(queue.status).toBe(200);
    const open = await t.db('alerts').whereNull('acknowledged_at').count<{ n: string }[]>('* as n');
    expect(Number(open[0]?.n)).toBeGreaterThanOrEqual(1);
    const held = await t.db('messages').where({ status: 'held' }).count<{ n: string }[]>('* as n');
    expect(Number(held[0]?.n)).toBe(totals.heldMessages);
    expect(totals.heldMessages).toBeGreaterThanOrEqual(2);
    const reports = await t.db('reports').where({ status: 'open' }).count<{ n: string }[]>('* as n');
    expect(Number(reports[0]?.n)).toBe(totals.reports - totals.reportsHandled);
    expect(totals.reports - totals.reportsHandled).toBeGreaterThanOrEqual(2);
    expect(totals.careAwaiting).toBeGreaterThanOrEqual(1);
  });

  it("opens the staff home, a member's lobby and living room with the generated conversation in it", async () => {
    const ids = await demoIds(t.db);
    const clinician = await signIn(t.app, 'clinician');
    expect((await clinician.get('/')).status).toBe(200);
    const anna = await signIn(t.app, 'anna');
    expect((await anna.get('/')).status).toBe(200);
    const room = await anna.get(`/rooms/${ids.room('Anorexia living room')}`);
    expect(room.status).toBe(200);
    const last = await t
      .db('messages')
      .where({ room_id: ids.room('Anorexia living room'), status: 'visible' })
      .orderBy('id', 'desc')
      .first('body');
    expect(room.text).toContain(String(last?.body).replace(/'/g, '&#39;'));
  }, 60_000);

  it('marks every generated person as fictional, and none of them can sign in', async () => {
    const people = await t
      .db('users as u')
      .join('memberships as m', 'm.user_id', 'u.id')
      .where('u.username', 'like', 'demo-%')
      .select('u.username', 'u.password_hash', 'u.role', 'm.private_reference');
    expect(people.length).toBe(totals.members + totals.staff);
    for (const p of people) {
      expect(p.password_hash, p.username).toBeNull();
      if (p.role === 'clinician') expect(p.private_reference).toBeNull();
      else expect(p.private_reference).toMatch(/^Fictional record GEN-\d{4}$/);
    }
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, username: 'demo-member-001', password: DEMO_PASSWORD });
    expect(res.status).not.toBe(303);
    expect(res.status).toBeLessThan(500);
  });

  it('is deterministic: the same seed and end give the same rows, another seed does not', async () => {
    const again = await createTestDatabase();
    try {
      expect(await seedActivity(again.db, { now: NOW })).toEqual(totals);
    } finally {
      await dropQuietly(again);
    }
    const other = await createTestDatabase();
    try {
      expect((await seedActivity(other.db, { now: NOW, seed: 7 })).checksum).not.toBe(totals.checksum);
    } finally {
      await dropQuietly(other);
    }
  }, 240_000);
});

/** Drops a database made for one test, waiting as long as a busy machine needs. */
async function dropQuietly(d: TestDatabase): Promise<void> {
  await d.db.destroy();
  const admin = createDb(inject('pgAdminUrl'), 1, MAINTENANCE_TIMEOUTS);
  await admin.raw(`DROP DATABASE IF EXISTS ${new URL(d.url).pathname.slice(1)} WITH (FORCE)`);
  await admin.destroy();
}
