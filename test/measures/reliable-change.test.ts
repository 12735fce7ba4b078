import { describe, expect, it } from 'vitest';
import {
  classify,
  countOutcomes,
  pairScores,
  wilsonInterval,
  type ScorePoint,
} from '../../src/measures/reliable-change.js';

const phq = (first: number, last: number) => ({ key: 'phq-9', first, last });
const gad = (first: number, last: number) => ({ key: 'gad-7', first, last });

// Each row a clinician can check against NHS Talking Therapies' definitions: caseness PHQ-9 ≥ 10 or
// GAD-7 ≥ 8; reliable change PHQ-9 6, GAD-7 4.
const CASES: [name: string, pairs: ReturnType<typeof phq>[], expected: string][] = [
  ['PHQ-9 18 → 12, GAD-7 12 → 12: PHQ-9 down 6', [phq(18, 12), gad(12, 12)], 'case, improved'],
  ['PHQ-9 18 → 13: down 5, not reliable', [phq(18, 13), gad(12, 12)], 'case'],
  ['GAD-7 12 → 8: down 4, but still at caseness', [phq(9, 9), gad(12, 8)], 'case, improved'],
  ['GAD-7 12 → 7 and PHQ-9 14 → 9: recovered', [phq(14, 9), gad(12, 7)], 'case, improved, recovered'],
  ['PHQ-9 14 → 8 but GAD-7 still 8 at last: not recovered', [phq(14, 8), gad(9, 8)], 'case, improved'],
  ['PHQ-9 down 6 and GAD-7 up 4: neither', [phq(16, 10), gad(6, 10)], 'case'],
  ['PHQ-9 up 6: deteriorated', [phq(4, 10), gad(3, 3)], 'deteriorated'],
  ['GAD-7 up 4 from below caseness: deteriorated', [phq(5, 5), gad(3, 7)], 'deteriorated'],
  [
    'PHQ-9 9 and GAD-7 7 at first: not at caseness, improvement counts, recovery cannot',
    [phq(9, 2), gad(7, 1)],
    'improved',
  ],
  ['only PHQ-9 paired, 12 → 5: that one decides, recovered', [phq(12, 5)], 'case, improved, recovered'],
  ['only GAD-7 paired, 10 → 9', [gad(10, 9)], 'case'],
];
const words = (c: ReturnType<typeof classify>) =>
  [c.atCaseness && 'case', c.improved && 'improved', c.recovered && 'recovered', c.deteriorated && 'deteriorated']
    .filter(Boolean)
    .join(', ');

describe('reliable change (NHS Talking Therapies definitions), with known answers', () => {
  for (const [name, pairs, expected] of CASES)
    it(`classifies ${name}`, () => {
      expect(words(classify(pairs))).toBe(expected);
    });

  it('counts a population: improvement and deterioration of the paired, recovery of those at caseness', () => {
    const classes = CASES.map(([, pairs]) => classify(pairs));
    expect(countOutcomes(classes)).toEqual({
      paired: 11,
      improved: 6,
      atCaseness: 8,
      recovered: 2,
      deteriorated: 2,
    });
  });

  it('pairs the first and last answered score of each measure per member and subnet; a single score is not counted', () => {
    const at = (d: string) => new Date(`2026-10-${d}T12:00:00Z`);
    const p = (userId: string, subnetId: string, instrumentKey: string, total: number, d: string): ScorePoint => ({
      userId,
      subnetId,
      instrumentKey,
      total,
      answeredAt: at(d),
    });
    const { paired, scoredOnce } = pairScores([
      // Out of order on purpose: the order is by time answered.
      p('ann', 'ed', 'phq-9', 8, '28'),
      p('ann', 'ed', 'phq-9', 15, '01'),
      p('ann', 'ed', 'phq-9', 11, '14'),
      p('ann', 'ed', 'gad-7', 9, '02'),
      p('ben', 'ed', 'phq-9', 20, '01'), // one score only
      p('ben', 'ed', 'gad-7', 15, '01'),
      p('cat', 'ed', 'phq-9', 12, '01'),
      p('cat', 'ps', 'phq-9', 10, '20'), // another subnet: not paired with the first
      p('dan', 'ed', 'core-10', 20, '01'), // not a Talking Therapies measure: ignored
      p('dan', 'ed', 'core-10', 10, '20'),
    ]);
    expect(paired).toEqual([
      { userId: 'ann', subnetId: 'ed', firstAt: at('01'), lastAt: at('28'), pairs: [phq(15, 8)] },
    ]);
    expect(scoredOnce).toBe(3);
  });

  it('Wilson score intervals match worked values (Newcombe 1998, table I) to four decimals', () => {
    const check = (c: number, n: number, low: number, high: number) => {
      const ci = wilsonInterval(c, n);
      expect(ci?.low, `${c}/${n} low`).toBeCloseTo(low, 4);
      expect(ci?.high, `${c}/${n} high`).toBeCloseTo(high, 4);
    };
    // 8 of 20: 40.0%, 95% CI 21.9% to 61.3% (0.2188 to 0.6134).
    check(8, 20, 0.2188, 0.6134);
    check(81, 263, 0.2553, 0.3662);
    check(15, 148, 0.0624, 0.1605);
    check(0, 20, 0, 0.1611);
    check(1, 29, 0.0061, 0.1718);
    check(20, 20, 0.8389, 1);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});
