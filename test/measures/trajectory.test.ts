import { describe, expect, it } from 'vitest';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import { classifyChange, isCase, trajectoryOf } from '../../src/measures/trajectory.js';
import { classify } from '../../src/measures/reliable-change.js';
import { response } from '../helpers/measures.js';

describe('a member’s trajectory on one measure (worked examples, NHS Talking Therapies thresholds)', () => {
  it('PHQ-9 18 → 11 is a reliable improvement (down 7, at least 6); still at caseness at both', () => {
    const t = trajectoryOf(PHQ_9, [response(PHQ_9, '2026-01-05', 18), response(PHQ_9, '2026-03-02', 11)]);
    expect(t).toMatchObject({
      answered: 2,
      first: { total: 18, band: 'Moderately severe', caseness: true },
      latest: { total: 11, band: 'Moderate', caseness: true },
      change: -7,
      reliableChange: 'reliable_improvement',
    });
  });

  it('PHQ-9 12 → 8 is no reliable change (down 4, less than 6), from caseness to below it', () => {
    const t = trajectoryOf(PHQ_9, [response(PHQ_9, '2026-01-05', 12), response(PHQ_9, '2026-02-02', 8)]);
    expect(t).toMatchObject({
      change: -4,
      reliableChange: 'no_reliable_change',
      first: { caseness: true },
      latest: { caseness: false },
    });
  });

  it('PHQ-9 8 → 15 is a reliable deterioration (up 7), from below caseness to above it', () => {
    const t = trajectoryOf(PHQ_9, [response(PHQ_9, '2026-01-05', 8), response(PHQ_9, '2026-02-02', 15)]);
    expect(t).toMatchObject({
      change: 7,
      reliableChange: 'reliable_deterioration',
      first: { caseness: false },
      latest: { caseness: true },
    });
  });

  it('the thresholds are exact: PHQ-9 down 6 counts and down 5 does not; caseness starts at 10', () => {
    expect(classifyChange(PHQ_9, -6)).toBe('reliable_improvement');
    expect(classifyChange(PHQ_9, -5)).toBe('no_reliable_change');
    expect(classifyChange(PHQ_9, 6)).toBe('reliable_deterioration');
    expect(classifyChange(PHQ_9, 5)).toBe('no_reliable_change');
    expect([isCase(PHQ_9, 9), isCase(PHQ_9, 10)]).toEqual([false, true]);
  });

  it('GAD-7 uses its own thresholds: 4 points, caseness at 8', () => {
    expect(classifyChange(GAD_7, -4)).toBe('reliable_improvement');
    expect(classifyChange(GAD_7, -3)).toBe('no_reliable_change');
    expect(classifyChange(GAD_7, 4)).toBe('reliable_deterioration');
    expect([isCase(GAD_7, 7), isCase(GAD_7, 8)]).toEqual([false, true]);
  });

  it('compares the first and the latest answer by date, whatever the order given, skipping declines and other measures', () => {
    const t = trajectoryOf(PHQ_9, [
      response(PHQ_9, '2026-03-02', 9),
      response(PHQ_9, '2026-04-02', 'declined'),
      response(GAD_7, '2026-05-02', 20),
      response(PHQ_9, '2026-01-05', 16),
      response(PHQ_9, '2026-02-02', 21),
    ]);
    expect(t).toMatchObject({ answered: 3, first: { total: 16 }, latest: { total: 9 }, change: -7 });
    expect(t?.latest.answeredAt.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('one answer has no change to classify; only declines (or nothing) have no trajectory', () => {
    expect(trajectoryOf(PHQ_9, [response(PHQ_9, '2026-01-05', 14)])).toMatchObject({
      answered: 1,
      change: 0,
      reliableChange: null,
      first: { total: 14 },
      latest: { total: 14 },
    });
    expect(trajectoryOf(PHQ_9, [response(PHQ_9, '2026-01-05', 'declined')])).toBeUndefined();
    expect(trajectoryOf(PHQ_9, [])).toBeUndefined();
  });

  it('a measure with no published thresholds says nothing about reliable change or caseness', () => {
    const plain = { ...PHQ_9, key: 'plain', reliableChange: undefined, caseness: undefined };
    const t = trajectoryOf(plain, [response(plain, '2026-01-05', 20), response(plain, '2026-02-05', 2)]);
    expect(t).toMatchObject({ reliableChange: null, first: { caseness: null }, latest: { caseness: null } });
  });

  it('where higher totals are better, a rise is the improvement', () => {
    const wellbeing = { ...PHQ_9, key: 'wellbeing', total: { ...PHQ_9.total, higherIsWorse: false } };
    expect(classifyChange(wellbeing, 6)).toBe('reliable_improvement');
    expect(classifyChange(wellbeing, -6)).toBe('reliable_deterioration');
  });

  it('agrees with the dashboard’s classification of one measure on every pair of totals (same thresholds)', () => {
    for (const d of [PHQ_9, GAD_7])
      for (let first = d.total.min; first <= d.total.max; first++)
        for (let last = d.total.min; last <= d.total.max; last++) {
          const service = classify([{ key: d.key, first, last }]);
          const member = classifyChange(d, last - first);
          expect([member === 'reliable_improvement', member === 'reliable_deterioration']).toEqual([
            service.improved,
            service.deteriorated,
          ]);
          expect(isCase(d, first)).toBe(service.atCaseness);
        }
  });
});
