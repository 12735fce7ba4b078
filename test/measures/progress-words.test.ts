import { describe, expect, it } from 'vitest';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import {
  casenessWords,
  describeForClinician,
  describeForMember,
  readingOf,
  reliableChangeWords,
} from '../../src/measures/progress-words.js';
import { trajectoryOf, type Trajectory } from '../../src/measures/trajectory.js';
import { response } from '../helpers/measures.js';

const day = (d: Date) => d.toISOString().slice(0, 10);
const trajectory = (d = PHQ_9, ...totals: number[]): Trajectory => {
  const t = trajectoryOf(
    d,
    totals.map((n, i) => response(d, `2026-0${i + 1}-01`, n)),
  );
  if (!t) throw new Error('no trajectory');
  return t;
};

describe('the words around a chart', () => {
  it('tell a member the facts plainly: how often, first and latest, which way lower points', () => {
    expect(describeForMember(PHQ_9, trajectory(PHQ_9, 14), day)).toBe(
      'You have answered the PHQ-9 once, on 2026-01-01. Your score was 14 (Moderate). Scores go from 0 to 27. Lower scores mean fewer problems in the last 2 weeks.',
    );
    expect(describeForMember(GAD_7, trajectory(GAD_7, 6, 6), day)).toContain(
      'You have answered the GAD-7 twice, from 2026-01-01 to 2026-02-01. Your first score was 6 (Mild) and your latest was 6 (Mild), the same as your first.',
    );
    expect(describeForMember(PHQ_9, trajectory(PHQ_9, 4, 9, 5), day)).toContain('1 point higher than your first');
  });

  it('say which way the scale points for a measure where higher is better', () => {
    const wellbeing = { ...PHQ_9, stem: 'How have you been?', total: { ...PHQ_9.total, higherIsWorse: false } };
    expect(readingOf(wellbeing)).toBe('Higher scores mean fewer problems.');
  });

  it('give the clinician caseness and reliable change with the measure’s thresholds', () => {
    const t = trajectory(PHQ_9, 18, 11);
    expect(casenessWords(PHQ_9, t.first.caseness)).toBe('at or above caseness (10)');
    expect(casenessWords(PHQ_9, false)).toBe('below caseness (10)');
    expect(reliableChangeWords(PHQ_9, t)).toBe('Reliable improvement (reliable change is 6 points or more)');
    expect(reliableChangeWords(GAD_7, trajectory(GAD_7, 3, 9))).toBe(
      'Reliable deterioration (reliable change is 4 points or more)',
    );
    expect(reliableChangeWords(PHQ_9, trajectory(PHQ_9, 12))).toBe('Not yet: one score so far');
    expect(describeForClinician(PHQ_9, t, day)).toBe(
      'PHQ-9 totals, 0 to 27: 2 answers. First 18 (Moderately severe) on 2026-01-01; latest 11 (Moderate) on 2026-02-01; change −7 points: reliable improvement.',
    );
  });
});
