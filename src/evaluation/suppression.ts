/**
 * Small-number suppression: any count from 1 to 4 is shown as "<5", so that no figure, chart or
 * export lets a member be singled out. Zero stays 0 (it reveals nobody).
 */
export function suppress(n: number): string {
  return n >= 1 && n <= 4 ? '<5' : String(n);
}

/** True when a count must not be shown (or used to derive a rate). */
export const isSuppressed = (n: number): boolean => n >= 1 && n <= 4;

/** A percentage, or "suppressed" when its denominator is small. */
export function suppressedPercent(part: number, whole: number): string {
  if (whole === 0) return '–';
  if (isSuppressed(whole) || isSuppressed(part)) return 'suppressed';
  return `${Math.round((part / whole) * 100)}%`;
}
