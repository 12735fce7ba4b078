/**
 * Reliable change by engagement, for commissioners: members with paired PHQ-9/GAD-7 scores
 * (src/measures/reliable-change.ts) grouped by how much they took part between their first and last
 * score. Engagement is the share of weeks (Monday to Sunday on the service's clock, from the week
 * of the first score to the week of the last, inclusive) in which the member wrote anything in
 * that subnet: a chat message, thread, reply or care-team message (the dashboard's activity).
 * Observational: members choose how much to engage, so a difference shows association, not cause.
 */
import {
  classify,
  countOutcomes,
  pairScores,
  type PairedMember,
  type ReliableChangeCounts,
  type ScorePoint,
  wilsonInterval,
} from '../measures/reliable-change.js';
import { csvRows } from '../http/csv.js';
import { weekOf, type SubnetActivity } from './metrics.js';
import { isSuppressed, suppress } from './suppression.js';

export const ENGAGEMENT_BANDS = ['under a quarter', 'a quarter to a half', 'over half'] as const;
export type EngagementBand = (typeof ENGAGEMENT_BANDS)[number];

/** Under a quarter of weeks active; a quarter to a half (both included); over half. */
export function engagementBand(share: number): EngagementBand {
  if (share < 0.25) return 'under a quarter';
  return share <= 0.5 ? 'a quarter to a half' : 'over half';
}

const WEEK = 7 * 86_400_000;

/** The share of weeks from the first score's week to the last score's in which the member was active. */
export function activeShare(member: PairedMember, weeksActive: ReadonlySet<string>, timeZone: string): number {
  const first = weekOf(member.firstAt, timeZone);
  const last = weekOf(member.lastAt, timeZone);
  const weeks = Math.round((Date.parse(last) - Date.parse(first)) / WEEK) + 1;
  const active = [...weeksActive].filter((w) => w >= first && w <= last).length;
  return active / weeks;
}

export interface BandReliableChange extends ReliableChangeCounts {
  band: EngagementBand;
}

export interface ReliableChangeFigures {
  /**
   * Members (per subnet) with an answered PHQ-9 or GAD-7 in the period but no measure answered
   * twice: not paired, not counted in the bands. The page shows this, not the number who answered:
   * that less this would be the bands' total, and give away a suppressed band.
   */
  scoredOnce: number;
  bands: BandReliableChange[];
}

/** Pairs the scores, bands each paired member by engagement and counts each band's outcomes. */
export function reliableChangeByEngagement(
  points: readonly ScorePoint[],
  activity: readonly SubnetActivity[],
  timeZone: string,
): ReliableChangeFigures {
  const { paired, scoredOnce } = pairScores(points);
  const weeks = new Map<string, Set<string>>(paired.map((m) => [`${m.userId}|${m.subnetId}`, new Set<string>()]));
  // Only paired members' activity is read, and the week of each quarter hour is worked out once (the
  // page stays fast). Every time zone's offset is a whole number of quarter hours, so a quarter hour
  // never straddles a local midnight.
  const weekOfQuarter = new Map<number, string>();
  for (const a of activity) {
    const mine = weeks.get(`${a.userId}|${a.subnetId}`);
    if (!mine) continue;
    const quarter = Math.floor(a.at.getTime() / 900_000);
    let week = weekOfQuarter.get(quarter);
    if (week === undefined) weekOfQuarter.set(quarter, (week = weekOf(a.at, timeZone)));
    mine.add(week);
  }
  const bands = ENGAGEMENT_BANDS.map((band) => {
    const mine = paired.filter(
      (m) => engagementBand(activeShare(m, weeks.get(`${m.userId}|${m.subnetId}`) ?? new Set(), timeZone)) === band,
    );
    return { band, ...countOutcomes(mine.map((m) => classify(m.pairs))) };
  });
  return { scoredOnce, bands };
}

/** A proportion as the page and the CSV show it: percentages to one decimal, '' where not shown. */
export interface ShownProportion {
  count: string;
  percent: string;
  low: string;
  high: string;
}

/**
 * The same small-number suppression as the rest of the dashboard: a count from 1 to 4 is "<5", and
 * a percentage and its 95% Wilson interval are not shown when their count or denominator is 1 to 4
 * (or the denominator is 0). Zero of five or more is shown: it reveals nobody.
 */
export function shownProportion(count: number, of: number): ShownProportion {
  const hidden = isSuppressed(count) || isSuppressed(of) || of === 0;
  const ci = hidden ? null : wilsonInterval(count, of);
  const pct = (x: number) => (x * 100).toFixed(1);
  return {
    count: suppress(count),
    percent: ci ? pct(count / of) : '',
    low: ci ? pct(ci.low) : '',
    high: ci ? pct(ci.high) : '',
  };
}

/** Each band's figures as the page shows them: improvement and deterioration of the paired, recovery of those at caseness. */
export function shownBand(b: BandReliableChange) {
  return {
    band: b.band,
    paired: suppress(b.paired),
    atCaseness: suppress(b.atCaseness),
    improved: shownProportion(b.improved, b.paired),
    recovered: shownProportion(b.recovered, b.atCaseness),
    deteriorated: shownProportion(b.deteriorated, b.paired),
  };
}

/** The reliable-change table as CSV, with the page's suppression (percentages and intervals in %). */
export function reliableChangeCsv(f: ReliableChangeFigures): string {
  const p = (x: ShownProportion) => [x.count, x.percent, x.low, x.high];
  return csvRows(
    [
      'weeks_active_between_first_and_last_score',
      'members_paired',
      'reliable_improvement',
      'reliable_improvement_pct',
      'reliable_improvement_ci95_low_pct',
      'reliable_improvement_ci95_high_pct',
      'at_caseness_at_first',
      'reliable_recovery',
      'reliable_recovery_pct_of_caseness',
      'reliable_recovery_ci95_low_pct',
      'reliable_recovery_ci95_high_pct',
      'reliable_deterioration',
      'reliable_deterioration_pct',
      'reliable_deterioration_ci95_low_pct',
      'reliable_deterioration_ci95_high_pct',
    ],
    f.bands
      .map(shownBand)
      .map((b) => [b.band, b.paired, ...p(b.improved), b.atCaseness, ...p(b.recovered), ...p(b.deteriorated)]),
  );
}
