import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bandOf, readItemScores, score, type InstrumentDefinition } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import { readDefinition } from '../../src/measures/instruments.service.js';
import { alertLabel } from '../../src/measures/measures.service.js';

/**
 * The published scoring of PHQ-9 (Kroenke, Spitzer & Williams 2001) and GAD-7 (Spitzer et al.
 * 2006) on worked examples: the total is the sum of the scored items (0 to 3 each), the closing
 * "how difficult" question is not counted, and the severity bands are those published.
 */
const answers = (d: InstrumentDefinition, scores: number[], difficulty?: number): Record<string, number> => {
  const scored = d.items.filter((i) => i.scored);
  const out: Record<string, number> = Object.fromEntries(scored.map((i, n) => [i.linkId, scores[n] ?? 0]));
  const unscored = d.items.find((i) => !i.scored);
  if (unscored && difficulty !== undefined) out[unscored.linkId] = difficulty;
  return out;
};
/** Item scores adding up to `total`, filled from the first item (3 each). */
const totalling = (d: InstrumentDefinition, total: number) => {
  const n = d.items.filter((i) => i.scored).length;
  return Array.from({ length: n }, (_, i) => Math.max(0, Math.min(3, total - 3 * i)));
};

describe('PHQ-9 scoring, as published', () => {
  it('all "Not at all" scores 0, Minimal', () => {
    expect(score(PHQ_9, answers(PHQ_9, Array(9).fill(0)))).toEqual({ total: 0, band: 'Minimal', alerts: [] });
  });

  it.each([
    [4, 'Minimal'],
    [5, 'Mild'],
    [9, 'Mild'],
    [10, 'Moderate'],
    [14, 'Moderate'],
    [15, 'Moderately severe'],
    [19, 'Moderately severe'],
    [20, 'Severe'],
    [27, 'Severe'],
  ])('a total of %i is %s', (total, band) => {
    const s = score(PHQ_9, answers(PHQ_9, totalling(PHQ_9, total)));
    expect(s.total).toBe(total);
    expect(s.band).toBe(band);
    expect(bandOf(PHQ_9, total)).toBe(band);
  });

  it('every item "Nearly every day" scores 27, Severe; the difficulty question is not counted', () => {
    const s = score(PHQ_9, answers(PHQ_9, Array(9).fill(3), 3));
    expect(s.total).toBe(27);
    expect(s.band).toBe('Severe');
    expect(score(PHQ_9, answers(PHQ_9, [1, 1, 1, 0, 0, 0, 0, 0, 0], 3)).total).toBe(3);
  });

  it.each([1, 2, 3])('item 9 answered %i (above "Not at all") raises an alert', (item9) => {
    const a = answers(PHQ_9, [0, 0, 0, 0, 0, 0, 0, 0, item9]);
    expect(score(PHQ_9, a).alerts).toEqual(['9']);
    expect(alertLabel(PHQ_9, a, ['9'])).toBe(
      `PHQ-9 item 9: ${['Several days', 'More than half the days', 'Nearly every day'][item9 - 1]}`,
    );
  });

  it('item 9 answered "Not at all" raises no alert, whatever the other answers', () => {
    expect(score(PHQ_9, answers(PHQ_9, [3, 3, 3, 3, 3, 3, 3, 3, 0], 3)).alerts).toEqual([]);
  });
});

describe('GAD-7 scoring, as published', () => {
  it.each([
    [0, 'Minimal'],
    [4, 'Minimal'],
    [5, 'Mild'],
    [9, 'Mild'],
    [10, 'Moderate'],
    [14, 'Moderate'],
    [15, 'Severe'],
    [21, 'Severe'],
  ])('a total of %i is %s', (total, band) => {
    const s = score(GAD_7, answers(GAD_7, totalling(GAD_7, total), 2));
    expect(s).toEqual({ total, band, alerts: [] });
  });
});

describe('reading a member’s form', () => {
  it('names every unanswered question and refuses a score that is not an option', () => {
    const r = readItemScores(PHQ_9, { 'item-1': '0', 'item-2': '7', 'item-9': '1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual([
      'item-2',
      'item-3',
      'item-4',
      'item-5',
      'item-6',
      'item-7',
      'item-8',
    ]);
    expect(r.errors[0]?.message).toBe('Choose one of the answers to question 2');
    expect(r.errors[1]?.message).toBe('Choose an answer to question 3');
  });
});

const EXAMPLE = readFileSync(new URL('../../docs/measures/example-instrument.json', import.meta.url), 'utf8');
interface Editable {
  [field: string]: unknown;
  items: { linkId: string }[];
  bands: { min: number }[];
  total: { max: number };
}
const edited = (change: (d: Editable) => void) => {
  const d = JSON.parse(EXAMPLE) as Editable;
  change(d);
  return JSON.stringify(d);
};
const messages = (text: string) => {
  const r = readDefinition(text);
  return r.ok ? [] : r.errors.map((e) => e.message);
};

describe('definition files', () => {
  it('the example file in docs/measures passes and scores by its own rule', () => {
    const r = readDefinition(EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.key).toBe('example-teacup');
    expect(score(r.definition, { '1': 2, '2': 1, '3': 2, '4': 2 })).toEqual({
      total: 5,
      band: 'Many mishaps',
      alerts: [],
    });
  });

  it('refuses a file without its licence note, saying so', () => {
    expect(messages(edited((d) => delete d.licence))).toEqual([
      'licence: is missing. Every definition must carry its licence note (who owns the text and what use it allows)',
    ]);
  });

  it('refuses bands with a gap', () => {
    expect(messages(edited((d) => d.bands.splice(1, 1, { ...d.bands[1], min: 3 })))).toEqual([
      'bands: bands must cover 0–6 without gaps or overlaps',
    ]);
  });

  it('refuses a total that the items do not add up to', () => {
    expect(messages(edited((d) => (d.total.max = 9)))).toContain('total: the items add up to 0–6, not 0–9');
  });

  it('refuses duplicate linkIds, naming the item', () => {
    expect(messages(edited((d) => d.items.splice(2, 1, { ...d.items[2], linkId: '1' })))).toEqual([
      'items › number 3 › linkId: duplicate linkId',
    ]);
  });

  it('refuses text that is not JSON, and fields the format does not know', () => {
    expect(messages('{ "key": ')[0]).toMatch(/^The text is not valid JSON: /);
    expect(messages(edited((d) => (d.copyright = 'x')))).toEqual([
      'The definition: has fields the format does not know: copyright',
    ]);
    expect(messages('   ')).toEqual(['Paste the definition file, or choose a file to upload']);
  });
});
