import { describe, expect, it } from 'vitest';
import { InstrumentDefinition } from '../../src/measures/instrument.js';
import { PHQ_9 } from '../../src/measures/instruments/index.js';

describe('an instrument definition file', () => {
  it('is refused when two answers to an item score the same (only the score is stored, so they could not be told apart)', () => {
    const options = [
      { label: 'No', score: 0 },
      { label: 'Sometimes', score: 1 },
      { label: 'Often', score: 1 },
    ];
    const result = InstrumentDefinition.safeParse({
      ...PHQ_9,
      key: 'test-same-scores',
      items: [{ linkId: '1', text: 'A question', options }],
      total: { min: 0, max: 1, higherIsWorse: true },
      bands: [{ min: 0, max: 1, label: 'Any' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'items.0.options: each answer to an item must score differently',
    ]);
  });

  it('is refused when it carries PHQ-9 question 9 (LOINC 44260-8) without an alert threshold', () => {
    const result = InstrumentDefinition.safeParse({
      ...PHQ_9,
      key: 'phq-9-copy',
      items: PHQ_9.items.map(({ alertAtOrAbove: _alert, ...item }) => item),
    });
    expect(result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'items.8.alertAtOrAbove: the question on thoughts of being better off dead or of self-harm (44260-8) must alert: set alertAtOrAbove',
    ]);
  });

  it('accepts PHQ-9 as shipped', () => {
    expect(InstrumentDefinition.safeParse(PHQ_9).success).toBe(true);
  });
});
