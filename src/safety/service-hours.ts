/**
 * Service hours and "out of hours", in the service's time zone (default Europe/London), so that
 * 17:00 means 17:00 on the clock on the ward, summer and winter alike. Pure: pass the instant in.
 */

export interface ServiceHours {
  /** "HH:MM", local time. */
  start: string;
  end: string;
  /** ISO weekdays open (1 = Monday ... 7 = Sunday). */
  days: readonly number[];
}

export const DEFAULT_HOURS: ServiceHours = { start: '09:00', end: '17:00', days: [1, 2, 3, 4, 5] };

/** England and Wales bank holidays (reference data; BANK_HOLIDAYS overrides). */
export const ENGLAND_BANK_HOLIDAYS: readonly string[] = [
  '2025-01-01',
  '2025-04-18',
  '2025-04-21',
  '2025-05-05',
  '2025-05-26',
  '2025-08-25',
  '2025-12-25',
  '2025-12-26',
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
];

export interface LocalTime {
  date: string; // YYYY-MM-DD
  weekday: number; // 1..7, ISO
  minutes: number; // since local midnight
  hour: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

// One formatter per time zone: building an Intl.DateTimeFormat costs more than using it.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date, weekday and time of an instant in a time zone, read by Intl (slow). */
function formatLocalTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const hour = Number(parts.hour);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
    hour,
    minutes: hour * 60 + Number(parts.minute),
  };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
// A zone's offset from UTC for each UTC hour, when it holds for the whole hour (null when the clocks
// change inside it): the evaluation dashboard places thousands of instants; asking Intl for each
// took seconds. Bounded: cleared when full.
const offsets = new Map<string, number | null>();
function offsetOf(at: number, timeZone: string): number {
  const l = formatLocalTime(new Date(at), timeZone);
  const [y, m, d] = l.date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d, l.hour, l.minutes % 60) - Math.floor(at / MINUTE) * MINUTE;
}
function hourOffset(hourStart: number, timeZone: string): number | null {
  const key = `${timeZone}|${hourStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const first = offsetOf(hourStart, timeZone);
    offset = first === offsetOf(hourStart + HOUR - MINUTE, timeZone) ? first : null;
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall-clock date, weekday and time of an instant in a time zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const t = at.getTime();
  const offset = Number.isFinite(t) ? hourOffset(Math.floor(t / HOUR) * HOUR, timeZone) : null;
  if (offset === null) return formatLocalTime(at, timeZone);
  const w = new Date(t + offset);
  const hour = w.getUTCHours();
  return {
    date: `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`,
    weekday: w.getUTCDay() === 0 ? 7 : w.getUTCDay(),
    hour,
    minutes: hour * 60 + w.getUTCMinutes(),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether an instant falls inside service hours: an open weekday that is not a bank holiday,
 * from `start` (inclusive) to `end` (exclusive). 09:00 is in hours, 17:00 is out of hours.
 */
export function isWithinServiceHours(
  at: Date,
  hours: ServiceHours,
  timeZone: string,
  bankHolidays: readonly string[],
): boolean {
  const t = localTime(at, timeZone);
  if (!hours.days.includes(t.weekday) || bankHolidays.includes(t.date)) return false;
  return t.minutes >= toMinutes(hours.start) && t.minutes < toMinutes(hours.end);
}

/**
 * "Monday to Friday, 09:00 to 17:00"-style text for pages: the only text of a service's hours,
 * always derived from the hours themselves so that what members read and the out-of-hours rule agree.
 */
export function describeHours(hours: ServiceHours): string {
  if (hours.days.length === 0) return 'No staffed hours: staff may not be online at any set time';
  const names = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
  const days = [...hours.days].sort();
  const contiguous = days.every((d, i) => i === 0 || d === (days[i - 1] ?? 0) + 1);
  const dayText =
    days.length === 7
      ? 'Every day'
      : contiguous && days.length > 1
        ? `${names[(days[0] ?? 1) - 1]} to ${names[(days.at(-1) ?? 1) - 1]}`
        : days.map((d) => names[d - 1]).join(', ');
  return `${dayText}, ${hours.start} to ${hours.end}`;
}
