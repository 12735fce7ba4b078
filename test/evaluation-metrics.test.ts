import { describe, expect, it } from 'vitest';
import {
  activeBy,
  agreement,
  careTeamResponseTimes,
  heatmap,
  monthOf,
  outOfHours,
  quantile,
  summariseResponses,
  weekOf,
} from '../src/evaluation/metrics.js';
import { bedDaysWithin, outcomesByEngagement, rateWithInterval } from '../src/evaluation/outcomes.js';
import { suppress, suppressedPercent } from '../src/evaluation/suppression.js';
import { DEFAULT_HOURS, ENGLAND_BANK_HOLIDAYS } from '../src/safety/service-hours.js';

const TZ = 'Europe/London';
const a = (userId: string, iso: string) => ({ userId, at: new Date(iso) });

describe('activity figures, with known answers', () => {
  it('counts distinct active members by local week (Monday) and month', () => {
    const activity = [
      a('u1', '2026-11-16T10:00:00Z'),
      a('u1', '2026-11-17T10:00:00Z'),
      a('u2', '2026-11-22T23:30:00Z'),
      a('u2', '2026-11-23T00:30:00Z'),
    ];
    expect(activeBy(activity, (d) => weekOf(d, TZ))).toEqual([
      { period: '2026-11-16', members: 2 },
      { period: '2026-11-23', members: 1 },
    ]);
    expect(activeBy(activity, (d) => monthOf(d, TZ))).toEqual([{ period: '2026-11', members: 2 }]);
  });

  it('a week boundary follows the local clock: Sunday 23:30 BST is still Sunday', () => {
    expect(weekOf(new Date('2026-07-19T22:30:00Z'), TZ)).toBe('2026-07-13'); // 23:30 Sunday in London
    expect(weekOf(new Date('2026-07-19T23:30:00Z'), TZ)).toBe('2026-07-20'); // 00:30 Monday in London
  });

  it('out of hours: 08:59 and 17:00 are out, 09:00 and 16:59 are in; weekends and bank holidays out; across the clocks change', () => {
    const activity = [
      a('u', '2026-11-18T08:59:00Z'), // out
      a('u', '2026-11-18T09:00:00Z'), // in
      a('u', '2026-11-18T16:59:00Z'), // in
      a('u', '2026-11-18T17:00:00Z'), // out
      a('u', '2026-07-15T16:30:00Z'), // 17:30 BST: out
      a('u', '2026-07-15T08:30:00Z'), // 09:30 BST: in
      a('u', '2026-11-21T12:00:00Z'), // Saturday: out
      a('u', '2026-12-25T12:00:00Z'), // Christmas Day: out
    ];
    expect(outOfHours(activity, DEFAULT_HOURS, TZ, ENGLAND_BANK_HOLIDAYS)).toEqual({ outOfHours: 5, total: 8 });
  });

  it('builds the hour-of-week heat map on the local clock', () => {
    const grid = heatmap(
      [a('u', '2026-11-16T03:15:00Z'), a('u', '2026-11-16T03:45:00Z'), a('u', '2026-07-19T22:30:00Z')],
      TZ,
    );
    expect(grid[0]?.[3]).toBe(2); // Monday 03:00 GMT
    expect(grid[6]?.[23]).toBe(1); // Sunday 23:00 BST
    expect(grid.flat().reduce((x, y) => x + y, 0)).toBe(3);
  });

  it('median and 90th percentile by interpolation', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([], 0.5)).toBeNull();
    expect(
      summariseResponses([60_000, 120_000, 180_000, 240_000, 300_000, 360_000, 420_000, 480_000, 540_000, 600_000]),
    ).toEqual({ n: 10, medianMinutes: 5.5, p90Minutes: 9.1 });
  });

  it('care-team response time runs from the first unanswered member message to the next staff answer', () => {
    const t = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));
    expect(
      careTeamResponseTimes([
        { at: t(0), fromMember: true },
        { at: t(5), fromMember: true },
        { at: t(30), fromMember: false },
        { at: t(40), fromMember: false },
        { at: t(50), fromMember: true },
      ]),
    ).toEqual([30 * 60_000]);
  });

  it('agreement counts 4 and 5 of 5', () => {
    expect(agreement([1, 2, 3, 4, 5, 5])).toEqual({ agree: 3, total: 6 });
  });
});

describe('suppression', () => {
  it.each([
    [0, '0'],
    [1, '<5'],
    [4, '<5'],
    [5, '5'],
    [120, '120'],
  ])('%i shows as %s', (n, shown) => {
    expect(suppress(n)).toBe(shown);
  });
  it('a rate whose parts are small is not shown', () => {
    expect(suppressedPercent(3, 10)).toBe('suppressed');
    expect(suppressedPercent(6, 3)).toBe('suppressed');
    expect(suppressedPercent(6, 10)).toBe('60%');
  });
});

describe('outcomes by engagement', () => {
  it('counts bed days across a month boundary without losing a night', () => {
    const stay = [
      { userId: 'u', kind: 'admission' as const, on: '2026-03-28' },
      { userId: 'u', kind: 'discharge' as const, on: '2026-04-03' },
    ];
    expect(bedDaysWithin(stay, '2026-03-01', '2026-04-01')).toBe(4);
    expect(bedDaysWithin(stay, '2026-04-01', '2026-05-01')).toBe(2);
  });

  it('splits member-months at 3 active weeks and sums events per group', () => {
    const activity = [
      a('engaged', '2026-03-02T20:00:00Z'),
      a('engaged', '2026-03-09T20:00:00Z'),
      a('engaged', '2026-03-16T20:00:00Z'),
      a('quiet', '2026-03-02T20:00:00Z'),
    ];
    const spans = [
      { userId: 'engaged', from: '2026-01-01', to: null },
      { userId: 'quiet', from: '2026-01-01', to: null },
    ];
    const events = [
      { userId: 'quiet', kind: 'admission' as const, on: '2026-03-10' },
      { userId: 'quiet', kind: 'discharge' as const, on: '2026-03-20' },
      { userId: 'quiet', kind: 'admission' as const, on: '2026-03-25' },
      { userId: 'quiet', kind: 'relapse' as const, on: '2026-03-24' },
    ];
    const [engaged, less] = outcomesByEngagement(activity, spans, events, '2026-03-01', '2026-03-31', TZ);
    expect(engaged).toEqual({ group: 'engaged', memberMonths: 1, bedDays: 0, readmissions: 0, relapses: 0 });
    expect(less).toEqual({ group: 'less engaged', memberMonths: 1, bedDays: 10 + 7, readmissions: 1, relapses: 1 });
  });

  it('gives a rate with a 95% interval', () => {
    expect(rateWithInterval(0, 0)).toBeNull();
    const r = rateWithInterval(100, 50);
    expect(r?.rate).toBe(2);
    expect(r?.low).toBeCloseTo(2 - (1.96 * 10) / 50);
    expect(r?.high).toBeCloseTo(2 + (1.96 * 10) / 50);
  });
});
