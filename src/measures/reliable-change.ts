/**
 * Reliable change on paired first and last scores, as NHS Talking Therapies for anxiety and
 * depression defines it (docs/measures.md, "Reliable change"): caseness PHQ-9 ≥ 10 or GAD-7 ≥ 8;
 * reliable improvement PHQ-9 down by 6 or more, or GAD-7 down by 4 or more, with neither reliably
 * worse; reliable recovery from caseness to below it on both, with reliable improvement; reliable
 * deterioration the reverse of improvement. Proportions come with 95% Wilson score intervals.
 * Pure functions over plain rows: no I/O, no clock.
 */
import type { InstrumentDefinition } from './instrument.js';
import { GAD_7, PHQ_9 } from './instruments/index.js';

/** One measure's thresholds: at or above `caseness` is a case; a change of `reliableChange` or more is reliable. */
export interface ReliableChangeRule {
  key: string;
  caseness: number;
  reliableChange: number;
}

const ruleOf = (d: InstrumentDefinition): ReliableChangeRule => {
  if (d.caseness === undefined || d.reliableChange === undefined) throw new Error(`${d.key} has no thresholds`);
  return { key: d.key, caseness: d.caseness, reliableChange: d.reliableChange };
};

/** The measures NHS Talking Therapies pairs, with their published thresholds (PHQ-9 10/6, GAD-7 8/4). */
export const TALKING_THERAPIES_RULES: readonly ReliableChangeRule[] = [ruleOf(PHQ_9), ruleOf(GAD_7)];

/** An answered measure: its total and when it was answered. */
export interface ScorePoint {
  userId: string;
  subnetId: string;
  instrumentKey: string;
  total: number;
  answeredAt: Date;
}

/** A member's first and last score of one measure in one subnet. */
export interface MeasurePair {
  key: string;
  first: number;
  last: number;
}

/**
 * A member of one subnet with paired scores: each measure they answered at least twice in the
 * period, and the span from the earliest first to the latest last of those measures.
 */
export interface PairedMember {
  userId: string;
  subnetId: string;
  firstAt: Date;
  lastAt: Date;
  pairs: MeasurePair[];
}

/**
 * Pairs each member's first and last answered score of each measure, per subnet. A measure answered
 * once is not paired; a member with no paired measure is not counted (only in `scoredOnce`).
 * Points of measures without a rule are ignored.
 */
export function pairScores(
  points: readonly ScorePoint[],
  rules: readonly ReliableChangeRule[] = TALKING_THERAPIES_RULES,
): { paired: PairedMember[]; scoredOnce: number } {
  const series = new Map<string, ScorePoint[]>();
  for (const p of points) {
    if (!rules.some((r) => r.key === p.instrumentKey)) continue;
    const key = `${p.userId}|${p.subnetId}`;
    const mine = series.get(key);
    if (mine) mine.push(p);
    else series.set(key, [p]);
  }
  const paired: PairedMember[] = [];
  let scoredOnce = 0;
  for (const mine of series.values()) {
    const member: PairedMember | null = pairOne(mine, rules);
    if (member) paired.push(member);
    else scoredOnce += 1;
  }
  return { paired, scoredOnce };
}

function pairOne(mine: readonly ScorePoint[], rules: readonly ReliableChangeRule[]): PairedMember | null {
  const pairs: MeasurePair[] = [];
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const rule of rules) {
    const ordered = mine
      .filter((p) => p.instrumentKey === rule.key)
      .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
    const first = ordered[0];
    const last = ordered.at(-1);
    if (!first || !last || ordered.length < 2) continue;
    pairs.push({ key: rule.key, first: first.total, last: last.total });
    firstAt = Math.min(firstAt, first.answeredAt.getTime());
    lastAt = Math.max(lastAt, last.answeredAt.getTime());
  }
  const any = mine[0];
  if (pairs.length === 0 || !any) return null;
  return { userId: any.userId, subnetId: any.subnetId, firstAt: new Date(firstAt), lastAt: new Date(lastAt), pairs };
}

export interface Classification {
  /** At caseness at the first score, on any paired measure. */
  atCaseness: boolean;
  improved: boolean;
  recovered: boolean;
  deteriorated: boolean;
}

/**
 * Classifies one member's paired scores on the measures paired (when only PHQ-9 or only GAD-7 is
 * paired, that one decides). Improvement and deterioration exclude each other: a member reliably
 * better on one measure and reliably worse on the other is neither. Recovery needs caseness at the
 * first score, below caseness on every paired measure at the last, and reliable improvement.
 * @throws Error for a pair whose measure has no rule (a programming error).
 */
export function classify(
  pairs: readonly MeasurePair[],
  rules: readonly ReliableChangeRule[] = TALKING_THERAPIES_RULES,
): Classification {
  const withRule = pairs.map((p) => {
    const rule = rules.find((r) => r.key === p.key);
    if (!rule) throw new Error(`no reliable-change rule for ${p.key}`);
    return { ...p, rule };
  });
  const better = withRule.some((p) => p.first - p.last >= p.rule.reliableChange);
  const worse = withRule.some((p) => p.last - p.first >= p.rule.reliableChange);
  const atCaseness = withRule.some((p) => p.first >= p.rule.caseness);
  const belowAtLast = withRule.length > 0 && withRule.every((p) => p.last < p.rule.caseness);
  const improved = better && !worse;
  return { atCaseness, improved, recovered: atCaseness && belowAtLast && improved, deteriorated: worse && !better };
}

/** How many paired members, how many at caseness, and how many of each outcome. */
export interface ReliableChangeCounts {
  paired: number;
  improved: number;
  atCaseness: number;
  recovered: number;
  deteriorated: number;
}

/** Adds up classifications: improvement and deterioration are of the paired, recovery of those at caseness. */
export function countOutcomes(classes: readonly Classification[]): ReliableChangeCounts {
  return {
    paired: classes.length,
    improved: classes.filter((c) => c.improved).length,
    atCaseness: classes.filter((c) => c.atCaseness).length,
    recovered: classes.filter((c) => c.recovered).length,
    deteriorated: classes.filter((c) => c.deteriorated).length,
  };
}

/**
 * The 95% Wilson score interval for a proportion `count` of `n` (as fractions), or null when n is 0.
 * Unlike the normal approximation it stays within 0 to 1 and behaves at 0 and n.
 * @throws RangeError when count is negative or above n.
 */
export function wilsonInterval(count: number, n: number, z = 1.959964): { low: number; high: number } | null {
  if (count < 0 || count > n) throw new RangeError(`${count} of ${n} is not a proportion`);
  if (n === 0) return null;
  const p = count / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
