import type { Rng } from './prng.js';

export const MINUTE = 60_000;
export const DAY = 86_400_000;

// When people talk, by hour of the day: quiet before dawn but never silent, busiest in the evening
// (when services are closed), as SHaRON's own logs showed.
const HOUR_WEIGHTS = [3, 2, 1.5, 1, 0.7, 0.7, 1.2, 2, 2.5, 3, 3, 3, 3.5, 3, 3, 3, 3.5, 4, 5, 6, 7, 7, 6, 4.5];

/**
 * The generator's calendar: `days` days ending at `now`. Day 0 is today; an instant that would fall
 * after `now` moves back a day, so that all activity has already happened.
 */
export class Clock {
  readonly today: number;

  constructor(
    readonly now: Date,
    readonly days: number,
  ) {
    this.today = Math.floor(now.getTime() / DAY) * DAY;
  }

  /** The instant `minute` minutes into the day `day` days before today. */
  at(day: number, minute: number): Date {
    let t = this.today - day * DAY + minute * MINUTE;
    while (t >= this.now.getTime()) t -= DAY;
    return new Date(t);
  }

  /** `minutes` after an instant, or null when that is still in the future. */
  after(at: Date, minutes: number): Date | null {
    const t = at.getTime() + Math.round(minutes * MINUTE);
    return t < this.now.getTime() ? new Date(t) : null;
  }

  /** Days before today of an instant (0 = today). */
  dayOf(at: Date): number {
    return Math.floor((this.today - Math.floor(at.getTime() / DAY) * DAY) / DAY);
  }

  /** True when the day `day` days ago is a Saturday or Sunday. */
  isWeekend(day: number): boolean {
    const weekday = new Date(this.today - day * DAY).getUTCDay();
    return weekday === 0 || weekday === 6;
  }

  /** A minute of the day drawn from the hours people are about. */
  minuteOfDay(rng: Rng): number {
    return rng.weighted(HOUR_WEIGHTS) * 60 + rng.int(0, 59);
  }

  /** A minute in working hours (09:00 to 17:00 UTC), for staff who answer in the day. */
  workingMinute(rng: Rng): number {
    return rng.int(9 * 60, 16 * 60 + 45);
  }

  /** The calendar date (YYYY-MM-DD, UTC) of an instant. */
  static date(at: Date): string {
    return at.toISOString().slice(0, 10);
  }
}
