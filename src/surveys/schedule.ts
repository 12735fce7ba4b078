/** When a questionnaire is offered to a member: pure, so the schedule is tested with any clock. */

export interface Schedule {
  firstAfterDays: number;
  repeatEveryDays: number | null;
}

const DAY = 86_400_000;

/**
 * The occurrence a member is due to answer now, if any: the latest one whose date has come
 * (joining + first, then every `repeat` days), unless they already answered or declined it (or a
 * later one), or put it off until a time still to come.
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
  if (lastHandledDueAt && lastHandledDueAt.getTime() >= due.getTime()) return null;
  if (snoozedUntil && snoozedUntil.getTime() > now.getTime()) return null;
  return due;
}
