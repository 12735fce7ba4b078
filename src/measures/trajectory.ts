/**
 * One member's trajectory on one measure, as a clinician reads it: the first and the latest score,
 * the change between them, whether that change is reliable by the measure's published threshold,
 * and whether each score is at or above caseness. Pure: no I/O, no clock.
 *
 * The thresholds are the definition's own (`reliableChange`, `caseness`): for PHQ-9 6 and 10, for
 * GAD-7 4 and 8, as NHS Talking Therapies uses them (docs/measures.md). The service-level figures
 * (src/measures/reliable-change*.ts) read the same fields, so a member's "Reliable improvement"
 * here is the same call the dashboard counts for that measure.
 */
import type { InstrumentDefinition } from './instrument.js';
import type { MeasureResponse } from './measure-response.js';

export const RELIABLE_CHANGE_CATEGORIES = [
  'reliable_improvement',
  'no_reliable_change',
  'reliable_deterioration',
] as const;
export type ReliableChangeCategory = (typeof RELIABLE_CHANGE_CATEGORIES)[number];

/** The words clinicians use for each category. */
export const RELIABLE_CHANGE_LABELS: Readonly<Record<ReliableChangeCategory, string>> = {
  reliable_improvement: 'Reliable improvement',
  no_reliable_change: 'No reliable change',
  reliable_deterioration: 'Reliable deterioration',
};

export interface TrajectoryScore {
  total: number;
  band: string;
  answeredAt: Date;
  /** At or above the measure's caseness threshold (at or below, for a measure where higher is better); null when it has none. */
  caseness: boolean | null;
}

export interface Trajectory {
  /** Answered occurrences counted (declined ones are not scores). */
  answered: number;
  first: TrajectoryScore;
  latest: TrajectoryScore;
  /** latest − first, in points (negative: the total went down). */
  change: number;
  /**
   * Reliable change from first to latest; null with a single score (nothing to compare) or when the
   * measure publishes no reliable-change threshold.
   */
  reliableChange: ReliableChangeCategory | null;
}

/**
 * Classifies a change in total by the measure's threshold: a move of at least `reliableChange`
 * points in the better direction is a reliable improvement, in the worse direction a reliable
 * deterioration, anything smaller no reliable change. Null when the measure has no threshold.
 */
export function classifyChange(d: InstrumentDefinition, change: number): ReliableChangeCategory | null {
  if (d.reliableChange === undefined) return null;
  const better = d.total.higherIsWorse ? -change : change;
  if (better >= d.reliableChange) return 'reliable_improvement';
  if (-better >= d.reliableChange) return 'reliable_deterioration';
  return 'no_reliable_change';
}

/** Whether a total is at caseness by the measure's threshold (PHQ-9: 10 or more); null when it has none. */
export function isCase(d: InstrumentDefinition, total: number): boolean | null {
  if (d.caseness === undefined) return null;
  return d.total.higherIsWorse ? total >= d.caseness : total <= d.caseness;
}

const scoreOf = (d: InstrumentDefinition, r: MeasureResponse & { total: number; band: string }): TrajectoryScore => ({
  total: r.total,
  band: r.band,
  answeredAt: r.answeredAt,
  caseness: isCase(d, r.total),
});

const isAnswered = (r: MeasureResponse): r is MeasureResponse & { total: number; band: string } =>
  r.status === 'answered' && r.total !== null && r.band !== null;

/**
 * The trajectory of one member on one measure, from their responses (any order; other measures'
 * responses and declined occurrences are ignored). Undefined when they have answered it never.
 */
export function trajectoryOf(d: InstrumentDefinition, responses: readonly MeasureResponse[]): Trajectory | undefined {
  const answered = responses
    .filter((r) => r.instrumentKey === d.key)
    .filter(isAnswered)
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime() || Number(a.id) - Number(b.id));
  const [firstResponse] = answered;
  const latestResponse = answered.at(-1);
  if (!firstResponse || !latestResponse) return undefined;
  const change = latestResponse.total - firstResponse.total;
  return {
    answered: answered.length,
    first: scoreOf(d, firstResponse),
    latest: scoreOf(d, latestResponse),
    change,
    reliableChange: answered.length > 1 ? classifyChange(d, change) : null,
  };
}
