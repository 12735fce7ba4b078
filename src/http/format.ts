/**
 * Dates and times for pages, on the service's clock. Intl.DateTimeFormat objects are built once:
 * `toLocaleString` with options builds a new one on every call, which cost more than the rest of a
 * 50-message living-room page (measured with `npm run bench`).
 */
export interface Formatters {
  /** 14:05 */
  time(d: Date | string): string;
  /** 21 Nov 2026, 14:05 */
  dateTime(d: Date | string): string;
  /** 21/11/2026 */
  shortDate(d: Date | string): string;
  /** 21 November 2026 */
  longDate(d: Date | string): string;
  /** A calendar day 'YYYY-MM-DD' as 21 November 2026 (no time zone: it is a day, not an instant). */
  day(isoDay: string): string;
}

export function createFormatters(timeZone: string): Formatters {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const shortDate = new Intl.DateTimeFormat('en-GB', { timeZone });
  const longDate = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'long', year: 'numeric' });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  const asDate = (d: Date | string) => (d instanceof Date ? d : new Date(d));
  // A living-room page shows 50 times: each minute is formatted once and remembered (bounded).
  const minutes = new Map<number, string>();
  const timeOf = (d: Date | string) => {
    const minute = Math.floor(asDate(d).getTime() / 60_000);
    let s = minutes.get(minute);
    if (s === undefined) {
      s = time.format(new Date(minute * 60_000));
      if (minutes.size >= 20_000) minutes.clear();
      minutes.set(minute, s);
    }
    return s;
  };
  return {
    time: timeOf,
    dateTime: (d) => dateTime.format(asDate(d)),
    shortDate: (d) => shortDate.format(asDate(d)),
    longDate: (d) => longDate.format(asDate(d)),
    day: (isoDay) => day.format(new Date(`${isoDay}T12:00:00Z`)),
  };
}
