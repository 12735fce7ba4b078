/** When a questionnaire is offered to a member: pure, so the schedule is tested with any clock. */

export interface Schedule {
  firstAfterDays: number;
  repeatEveryDays: number | null;
}

const DAY = 86_400_000;

/**
 * The occurrence a member is due to answer now, if any: the latest one whose date has come
 * (joining + first, then every `repeat` days), unless they already answered or declined one in
 * its period (after the occurrence before it; for a one-off, ever), or put it off until a time
 * still to come. By period rather than by exact date, so that a clinician changing the schedule
 * (a new "first after") does not offer again what was just answered on the old dates.
 */
export function dueOccurrence(
  joinedAt: Date,
  schedule: Schedule,
  lastHandledDueAt: Date | null,
  snoozedUntil: Date | null,
  now: Date,
): Date | null {
  const first = joinedAt.getTime() + schedule.firstAfterDays * DAY;
  if (now.getTime() < first) return null;
  const k = schedule.repeatEveryDays ? Math.floor((now.getTime() - first) / (schedule.repeatEveryDays * DAY)) : 0;
  const due = new Date(first + k * (schedule.repeatEveryDays ?? 0) * DAY);
  const period = schedule.repeatEveryDays ? schedule.repeatEveryDays * DAY : Number.POSITIVE_INFINITY;
  if (lastHandledDueAt && lastHandledDueAt.getTime() > due.getTime() - period) return null;
  if (snoozedUntil && snoozedUntil.getTime() > now.getTime()) return null;
  return due;
}
