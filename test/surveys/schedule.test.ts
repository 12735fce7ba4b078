import { describe, expect, it } from 'vitest';
import { dueOccurrence } from '../../src/surveys/schedule.js';

const DAY = 86_400_000;
const joined = new Date('2026-01-01T12:00:00Z');
const at = (days: number) => new Date(joined.getTime() + days * DAY);
const helpfulness = { firstAfterDays: 28, repeatEveryDays: 91 };

describe('survey scheduling (4 weeks after joining, then every 3 months)', () => {
  it.each([
    ['day 27: not yet', 27, null, null, null],
    ['day 28: the first occurrence', 28, null, null, 28],
    ['day 60, first not answered: still the first', 60, null, null, 28],
    ['day 60, first answered: nothing', 60, 28, null, null],
    ['day 119: the second occurrence', 119, 28, null, 119],
    ['day 200, both skipped: only the latest is offered', 200, null, null, 119],
    ['day 30, put off until day 33: nothing', 30, null, 33, null],
    ['day 34, the snooze is over: the first again', 34, null, 33, 28],
  ] as const)('%s', (_n, day, handled, snoozed, expected) => {
    const due = dueOccurrence(
      joined,
      helpfulness,
      handled === null ? null : at(handled),
      snoozed === null ? null : at(snoozed),
      at(day),
    );
    expect(due === null ? null : Math.round((due.getTime() - joined.getTime()) / DAY)).toBe(expected);
  });

  it('a one-off questionnaire is offered once', () => {
    expect(dueOccurrence(joined, { firstAfterDays: 7, repeatEveryDays: null }, at(7), null, at(400))).toBeNull();
  });

  it('a changed schedule does not offer again what was answered on the old dates', () => {
    const days = (d: Date | null) => (d === null ? null : Math.round((d.getTime() - joined.getTime()) / DAY));
    // Every 28 days from joining, answered on day 56; the clinician moves "first" to day 7 (7, 35, 63…).
    const moved = { firstAfterDays: 7, repeatEveryDays: 28 };
    expect(days(dueOccurrence(joined, moved, at(56), null, at(63)))).toBeNull();
    expect(days(dueOccurrence(joined, moved, at(56), null, at(91)))).toBe(91);
    // A one-off answered at joining, then moved to day 14: not offered a second time.
    expect(dueOccurrence(joined, { firstAfterDays: 14, repeatEveryDays: null }, at(0), null, at(20))).toBeNull();
    // Unchanged dates: the occurrence before the latest does not count for the latest.
    expect(days(dueOccurrence(joined, { firstAfterDays: 0, repeatEveryDays: 28 }, at(28), null, at(56)))).toBe(56);
  });
});
