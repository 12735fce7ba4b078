/**
 * The evaluation's figures, computed from plain rows so that each is tested against generated
 * activity with known answers. Times are read on the service's clock (time zone), so "out of
 * hours" and the heat map mean what staff on the ward mean.
 */
import { isWithinServiceHours, localTime, type ServiceHours } from '../safety/service-hours.js';

export interface Activity {
  userId: string;
  at: Date;
}

/** Activity with the subnet it happened in (a member of two services is engaged in each apart). */
export interface SubnetActivity extends Activity {
  subnetId: string;
}

const DAY = 86_400_000;

/** The Monday (YYYY-MM-DD) of the local week an instant falls in. */
export function weekOf(at: Date, timeZone: string): string {
  const t = localTime(at, timeZone);
  const d = new Date(`${t.date}T00:00:00Z`);
  return new Date(d.getTime() - (t.weekday - 1) * DAY).toISOString().slice(0, 10);
}

/** The local month (YYYY-MM) of an instant. */
export const monthOf = (at: Date, timeZone: string): string => localTime(at, timeZone).date.slice(0, 7);

/** Distinct active members per period (week or month), in period order. */
export function activeBy(
  activity: readonly Activity[],
  period: (at: Date) => string,
): { period: string; members: number }[] {
  const sets = new Map<string, Set<string>>();
  for (const a of activity) {
    const key = period(a.at);
    if (!sets.has(key)) sets.set(key, new Set());
    sets.get(key)?.add(a.userId);
  }
  return [...sets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([period, s]) => ({ period, members: s.size }));
}

/** How much activity fell outside service hours (weekday evenings and nights, weekends, bank holidays). */
export function outOfHours(
  activity: readonly Activity[],
  hours: ServiceHours,
  timeZone: string,
  bankHolidays: readonly string[],
): { outOfHours: number; total: number } {
  const out = activity.filter((a) => !isWithinServiceHours(a.at, hours, timeZone, bankHolidays)).length;
  return { outOfHours: out, total: activity.length };
}

/** Messages per hour of the week: [weekday 0 = Monday][hour 0..23], local time. */
export function heatmap(activity: readonly Activity[], timeZone: string): number[][] {
  const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const a of activity) {
    const t = localTime(a.at, timeZone);
    const row = grid[t.weekday - 1];
    if (row) row[t.hour] = (row[t.hour] ?? 0) + 1;
  }
  return grid;
}

/** The p-quantile of numbers by linear interpolation between closest ranks; null when empty. */
export function quantile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] ?? 0) + ((sorted[hi] ?? 0) - (sorted[lo] ?? 0)) * (pos - lo);
}

export interface ResponseSummary {
  n: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

/** Median and 90th percentile of response times given in milliseconds, in minutes. */
export function summariseResponses(ms: readonly number[]): ResponseSummary {
  const minutes = ms.map((x) => x / 60_000);
  return { n: ms.length, medianMinutes: quantile(minutes, 0.5), p90Minutes: quantile(minutes, 0.9) };
}

/**
 * Care-team response times: for each run of member messages, from the first unanswered one to the
 * next staff message. Messages must be one conversation's, in time order.
 */
export function careTeamResponseTimes(messages: readonly { at: Date; fromMember: boolean }[]): number[] {
  const out: number[] = [];
  let waitingSince: Date | null = null;
  for (const m of messages) {
    if (m.fromMember) waitingSince ??= m.at;
    else if (waitingSince) {
      out.push(m.at.getTime() - waitingSince.getTime());
      waitingSince = null;
    }
  }
  return out;
}

/** "Agree" or "strongly agree" (4 or 5 on the five-point scale) among answers. */
export function agreement(likert: readonly number[]): { agree: number; total: number } {
  return { agree: likert.filter((v) => v >= 4).length, total: likert.length };
}
