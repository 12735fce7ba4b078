/**
 * How long something has waited, in plain words for the staff home: "less than a minute",
 * "1 minute", "40 minutes", "2 hours", "3 days". Whole units, rounded down (an alert that has
 * waited 1 hour 59 minutes has waited "1 hour"), so the words never overstate it either way.
 */
export function waitedFor(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** "1 held message", "3 held messages". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
