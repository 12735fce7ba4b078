import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/safety/service-hours.js';

/** What Intl says, field by field: the reference the fast path must match. */
const formats = new Map<string, Intl.DateTimeFormat>();
function reference(at: Date, timeZone: string) {
  const format =
    formats.get(timeZone) ??
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  formats.set(timeZone, format);
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }[parts.weekday as 'Mon'];
  const hour = Number(parts.hour);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    hour,
    minutes: hour * 60 + Number(parts.minute),
  };
}

describe('local time of an instant', () => {
  // The UK's clock changes (01:00 UTC), a half-hour zone, and one whose clocks move by half an hour.
  const zones = ['Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns'];
  const edges = ['2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:59Z', '2026-10-25T01:00:00Z'];

  it('matches Intl every 97 minutes across two years, and on both sides of each clock change', () => {
    const start = Date.UTC(2026, 0, 1);
    const instants = [...edges.map((e) => new Date(e))];
    for (let t = start; t < start + 2 * 365 * 86_400_000; t += 97 * 60_000 + 13_000) instants.push(new Date(t));
    for (const zone of zones) {
      const wrong = instants.filter(
        (at) => JSON.stringify(localTime(at, zone)) !== JSON.stringify(reference(at, zone)),
      );
      expect(wrong.map((w) => `${zone} ${w.toISOString()}`).slice(0, 5)).toEqual([]);
    }
  });

  it('places the evening of the UK clock change in local time', () => {
    expect(localTime(new Date('2026-10-25T00:30:00Z'), 'Europe/London')).toMatchObject({ hour: 1, minutes: 90 });
    expect(localTime(new Date('2026-10-25T01:30:00Z'), 'Europe/London')).toMatchObject({ hour: 1, minutes: 90 });
    expect(localTime(new Date('2026-06-01T23:30:00Z'), 'Europe/London')).toMatchObject({
      date: '2026-06-02',
      weekday: 2,
      hour: 0,
    });
  });
});
