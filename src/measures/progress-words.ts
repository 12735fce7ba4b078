/**
 * The words around a measure's chart: for a member, plain and without judgement (what the scores
 * are and which way a lower score points, never "better", "worse" or a colour); for a clinician,
 * the terms they use (caseness, reliable change). Pure: the dates come in already written.
 */
import type { InstrumentDefinition } from './instrument.js';
import { RELIABLE_CHANGE_LABELS, type Trajectory } from './trajectory.js';

type DateWriter = (d: Date) => string;

/** Which way the scale points, in plain words: "Lower scores mean fewer problems in the last 2 weeks." */
export function readingOf(d: InstrumentDefinition): string {
  const period = /last 2 weeks/i.test(d.stem) ? ' in the last 2 weeks' : '';
  return `${d.total.higherIsWorse ? 'Lower' : 'Higher'} scores mean fewer problems${period}.`;
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);
const points = (n: number) => `${n} ${n === 1 ? 'point' : 'points'}`;

/** How the latest total stands against the first, as a fact: "7 points lower", "the same". */
function difference(change: number): string {
  if (change === 0) return 'the same as your first';
  return `${points(Math.abs(change))} ${change < 0 ? 'lower' : 'higher'} than your first`;
}

/** The chart's description for the member: how many answers, when, first and latest, and how to read them. */
export function describeForMember(d: InstrumentDefinition, t: Trajectory, longDate: DateWriter): string {
  const range = `Scores go from ${d.total.min} to ${d.total.max}. ${readingOf(d)}`;
  if (t.answered === 1)
    return `You have answered the ${d.name} once, on ${longDate(t.first.answeredAt)}. Your score was ${t.first.total} (${t.first.band}). ${range}`;
  return (
    `You have answered the ${d.name} ${times(t.answered)}, from ${longDate(t.first.answeredAt)} to ${longDate(t.latest.answeredAt)}. ` +
    `Your first score was ${t.first.total} (${t.first.band}) and your latest was ${t.latest.total} (${t.latest.band}), ` +
    `${difference(t.change)}. ${range}`
  );
}

/** "at or above caseness (10)" / "below caseness (10)", or empty when the measure has no threshold. */
export function casenessWords(d: InstrumentDefinition, caseness: boolean | null): string {
  if (caseness === null || d.caseness === undefined) return '';
  const side = d.total.higherIsWorse ? (caseness ? 'at or above' : 'below') : caseness ? 'at or below' : 'above';
  return `${side} caseness (${d.caseness})`;
}

/** The reliable-change finding with its threshold: "Reliable improvement (a change of 6 points or more)". */
export function reliableChangeWords(d: InstrumentDefinition, t: Trajectory): string {
  if (t.answered < 2) return 'Not yet: one score so far';
  if (t.reliableChange === null) return 'This measure publishes no reliable-change threshold';
  return `${RELIABLE_CHANGE_LABELS[t.reliableChange]} (reliable change is ${points(d.reliableChange ?? 0)} or more)`;
}

/** A change in points with its sign: +3, −7, 0. */
export const signedChange = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** The chart's description for a clinician: the trajectory in the terms of the measure. */
export function describeForClinician(d: InstrumentDefinition, t: Trajectory, longDate: DateWriter): string {
  const first = `${t.first.total} (${t.first.band}) on ${longDate(t.first.answeredAt)}`;
  if (t.answered === 1) return `${d.name} totals, 0 to ${d.total.max}: one answer, ${first}.`;
  const latest = `${t.latest.total} (${t.latest.band}) on ${longDate(t.latest.answeredAt)}`;
  const verdict = t.reliableChange ? `: ${RELIABLE_CHANGE_LABELS[t.reliableChange].toLowerCase()}` : '';
  return `${d.name} totals, ${d.total.min} to ${d.total.max}: ${t.answered} answers. First ${first}; latest ${latest}; change ${signedChange(t.change)} points${verdict}.`;
}
