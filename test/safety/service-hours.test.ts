import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HOURS,
  describeHours,
  ENGLAND_BANK_HOLIDAYS,
  isWithinServiceHours,
  localTime,
} from '../../src/safety/service-hours.js';

const LONDON = 'Europe/London';
const within = (iso: string, tz = LONDON) =>
  isWithinServiceHours(new Date(iso), DEFAULT_HOURS, tz, ENGLAND_BANK_HOLIDAYS);

describe('service hours (Monday to Friday, 09:00 to 17:00, Europe/London)', () => {
  it.each([
    ['Wednesday 08:59 in winter (GMT)', '2026-11-18T08:59:00Z', false],
    ['Wednesday 09:00 in winter', '2026-11-18T09:00:00Z', true],
    ['Wednesday 16:59 in winter', '2026-11-18T16:59:00Z', true],
    ['Wednesday 17:00 in winter', '2026-11-18T17:00:00Z', false],
    ['Wednesday 09:00 in summer (BST is UTC+1, so 08:00Z)', '2026-07-15T08:00:00Z', true],
    ['Wednesday 08:59 in summer', '2026-07-15T07:59:00Z', false],
    ['Wednesday 17:00 in summer (16:00Z)', '2026-07-15T16:00:00Z', false],
    ['Saturday midday', '2026-11-21T12:00:00Z', false],
    ['Sunday midday', '2026-11-22T12:00:00Z', false],
    ['Christmas Day, a Friday', '2026-12-25T12:00:00Z', false],
    ['Boxing Day substitute, Monday 28 December', '2026-12-28T12:00:00Z', false],
    ['Tuesday 29 December', '2026-12-29T12:00:00Z', true],
  ])('%s -> %s', (_n, iso, expected) => {
    expect(within(iso)).toBe(expected);
  });

  it('follows the clocks change: the Monday after clocks go forward, 09:00 local is 08:00Z', () => {
    // Clocks went forward at 01:00Z on Sunday 29 March 2026.
    expect(localTime(new Date('2026-03-29T00:59:00Z'), LONDON)).toMatchObject({ date: '2026-03-29', hour: 0 });
    expect(localTime(new Date('2026-03-29T01:00:00Z'), LONDON)).toMatchObject({ date: '2026-03-29', hour: 2 });
    expect(within('2026-03-30T08:00:00Z')).toBe(true);
    expect(within('2026-03-27T08:00:00Z')).toBe(false); // the Friday before: still GMT, 08:00 local
  });

  it('uses the configured time zone', () => {
    expect(within('2026-11-18T09:30:00Z', 'America/New_York')).toBe(false); // 04:30 in New York
    expect(within('2026-11-18T14:30:00Z', 'America/New_York')).toBe(true);
  });

  it('describes hours for pages', () => {
    expect(describeHours(DEFAULT_HOURS)).toBe('Monday to Friday, 09:00 to 17:00');
    expect(describeHours({ start: '08:00', end: '20:00', days: [1, 3, 5] })).toBe(
      'Monday, Wednesday, Friday, 08:00 to 20:00',
    );
  });
});
