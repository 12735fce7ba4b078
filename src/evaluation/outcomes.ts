/**
 * Outcomes by engagement: member-months split into "engaged" (active in 3 or more distinct weeks
 * of the month) and "less engaged", compared on bed days, readmissions and relapses per
 * member-month with 95% confidence intervals. Observational: it shows association, not cause.
 */
import { localTime } from '../safety/service-hours.js';
import { weekOf, type Activity } from './metrics.js';

export interface CareEvent {
  userId: string;
  kind: 'admission' | 'discharge' | 'relapse' | 'service_discharge';
  on: string; // YYYY-MM-DD
}

export interface MembershipSpan {
  userId: string;
  from: string; // YYYY-MM-DD
  to: string | null;
}

export interface GroupOutcome {
  group: 'engaged' | 'less engaged';
  memberMonths: number;
  bedDays: number;
  readmissions: number;
  relapses: number;
}

const DAY = 86_400_000;
const days = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const monthStart = (m: string) => `${m}-01`;
/** The first day of the next month: months are [start, next start). */
function nextMonthStart(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, mo ?? 1, 1)).toISOString().slice(0, 10);
}
function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const end = to.slice(0, 7);
  for (let guard = 0; guard < 600; guard++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * Nights in hospital within [from, to) from admission/discharge pairs: a stay from the 5th to the
 * 10th is 5 bed days; an open stay runs to `to`.
 */
export function bedDaysWithin(events: readonly CareEvent[], from: string, to: string): number {
  let total = 0;
  let admittedOn: string | null = null;
  for (const e of [...events].sort((a, b) => a.on.localeCompare(b.on))) {
    if (e.kind === 'admission' && admittedOn === null) admittedOn = e.on;
    if (e.kind === 'discharge' && admittedOn !== null) {
      total += overlap(admittedOn, e.on, from, to);
      admittedOn = null;
    }
  }
  if (admittedOn !== null) total += overlap(admittedOn, to, from, to);
  return total;
}

function overlap(a: string, b: string, from: string, to: string): number {
  const start = a > from ? a : from;
  const end = b < to ? b : to;
  return end <= start ? 0 : days(start, end);
}

/** Builds the comparison for the months from `from` to `to` (YYYY-MM-DD) on the service's clock. */
export function outcomesByEngagement(
  activity: readonly Activity[],
  spans: readonly MembershipSpan[],
  events: readonly CareEvent[],
  from: string,
  to: string,
  timeZone: string,
): GroupOutcome[] {
  const groups: Record<GroupOutcome['group'], GroupOutcome> = {
    engaged: { group: 'engaged', memberMonths: 0, bedDays: 0, readmissions: 0, relapses: 0 },
    'less engaged': { group: 'less engaged', memberMonths: 0, bedDays: 0, readmissions: 0, relapses: 0 },
  };
  const weeksByUserMonth = new Map<string, Set<string>>();
  for (const a of activity) {
    const key = `${a.userId}|${localTime(a.at, timeZone).date.slice(0, 7)}`;
    if (!weeksByUserMonth.has(key)) weeksByUserMonth.set(key, new Set());
    weeksByUserMonth.get(key)?.add(weekOf(a.at, timeZone));
  }
  for (const span of spans) {
    const mine = events.filter((e) => e.userId === span.userId);
    for (const month of monthsBetween(from, to)) {
      const ms = monthStart(month);
      const next = nextMonthStart(month);
      if (span.from >= next || (span.to !== null && span.to < ms)) continue;
      const group =
        (weeksByUserMonth.get(`${span.userId}|${month}`)?.size ?? 0) >= 3 ? groups.engaged : groups['less engaged'];
      group.memberMonths += 1;
      group.bedDays += bedDaysWithin(mine, ms, next);
      const inMonth = mine.filter((e) => e.on >= ms && e.on < next);
      group.relapses += inMonth.filter((e) => e.kind === 'relapse').length;
      group.readmissions += inMonth.filter(
        (e) => e.kind === 'admission' && mine.some((p) => p.kind === 'discharge' && p.on < e.on),
      ).length;
    }
  }
  return [groups.engaged, groups['less engaged']];
}

/** A rate per member-month with a 95% interval (Poisson, normal approximation), or null without exposure. */
export function rateWithInterval(count: number, exposure: number): { rate: number; low: number; high: number } | null {
  if (exposure === 0) return null;
  const rate = count / exposure;
  const half = (1.96 * Math.sqrt(count)) / exposure;
  return { rate, low: Math.max(0, rate - half), high: rate + half };
}
