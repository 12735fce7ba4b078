import { describe, expect, it } from 'vitest';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import { CHART, chartPoints, measureChart, type ChartSpec } from '../../src/measures/chart.js';
import type { MeasureResponse } from '../../src/measures/measure-response.js';
import { response } from '../helpers/measures.js';

const spec = (responses: MeasureResponse[], extra: Partial<ChartSpec> = {}): ChartSpec => ({
  id: 'phq',
  title: 'Your PHQ-9 scores over time',
  description: 'Three scores. Lower scores mean fewer problems in the last 2 weeks.',
  definition: PHQ_9,
  responses,
  formatDate: (d) => d.toISOString().slice(0, 10),
  ...extra,
});
const circles = (svg: string) =>
  [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

// The plot runs from x 40 to 414 and from y 256 (the scale's minimum) up to 16 (its maximum).
const LEFT = CHART.left;
const RIGHT = CHART.width - CHART.right;
const BOTTOM = CHART.height - CHART.bottom;

describe('the measure chart (SVG drawn on the server)', () => {
  it('puts each score at its date and total: 0 on the axis, 27 at the top, a middle date halfway', () => {
    const svg = measureChart(
      spec([response(PHQ_9, '2026-01-01', 0), response(PHQ_9, '2026-01-06', 9), response(PHQ_9, '2026-01-11', 27)]),
    );
    expect(circles(svg)).toEqual([
      [LEFT, BOTTOM],
      [(LEFT + RIGHT) / 2, BOTTOM - (9 / 27) * (BOTTOM - CHART.top)],
      [RIGHT, CHART.top],
    ]);
    expect(svg).toContain(`<polyline points="${LEFT},${BOTTOM} ${(LEFT + RIGHT) / 2},176 ${RIGHT},${CHART.top}"`);
    expect(svg).toContain('>2026-01-01</text>');
    expect(svg).toContain('>2026-01-11</text>');
  });

  it('has an accessible name and description, and scales to its container', () => {
    const svg = measureChart(spec([response(PHQ_9, '2026-01-01', 12), response(PHQ_9, '2026-02-01', 8)]));
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="phq-title phq-desc"/);
    expect(svg).toContain('<title id="phq-title">Your PHQ-9 scores over time</title>');
    expect(svg).toContain(
      '<desc id="phq-desc">Three scores. Lower scores mean fewer problems in the last 2 weeks.</desc>',
    );
    expect(svg).toContain(`viewBox="0 0 ${CHART.width} ${CHART.height}" width="100%"`);
  });

  it('draws a single score as one point in the middle, with no line', () => {
    const svg = measureChart(spec([response(PHQ_9, '2026-01-01', 27)]));
    expect(circles(svg)).toEqual([[(LEFT + RIGHT) / 2, CHART.top]]);
    expect(svg).not.toContain('<polyline');
    expect(svg.match(/>2026-01-01<\/text>/g)).toHaveLength(1);
  });

  it('leaves out declined occurrences and other measures’ scores', () => {
    const points = chartPoints(PHQ_9, [
      response(PHQ_9, '2026-01-01', 20),
      response(PHQ_9, '2026-01-15', 'declined'),
      response(GAD_7, '2026-01-20', 3),
      response(PHQ_9, '2026-01-31', 10),
    ]);
    expect(points.map((p) => [p.total, p.x])).toEqual([
      [20, LEFT],
      [10, RIGHT],
    ]);
  });

  it('labels each band boundary with a faint line, and names the bands, on the instrument’s own scale', () => {
    const svg = measureChart(spec([response(GAD_7, '2026-01-01', 5)], { definition: GAD_7 }));
    for (const boundary of [5, 10, 15]) {
      const y = BOTTOM - (boundary / 21) * (BOTTOM - CHART.top);
      expect(svg).toContain(
        `y1="${Math.round(y * 10) / 10}" x2="${RIGHT}" y2="${Math.round(y * 10) / 10}" stroke="#aeb7bd"`,
      );
      expect(svg).toContain(`>${boundary}</text>`);
    }
    for (const band of ['Minimal', 'Mild', 'Moderate', 'Severe']) expect(svg).toContain(`>${band}</text>`);
    expect(svg).toContain('>21</text>');
    expect(svg).not.toMatch(/red|green|#d5281b|#007f3b/i);
  });

  it('escapes every piece of text it is given', () => {
    const svg = measureChart(
      spec([response(PHQ_9, '2026-01-01', 3)], {
        id: 'x"><script>',
        title: '<script>alert(1)</script>',
        description: 'A & B',
        formatDate: () => '<b>',
      }),
    );
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('A &amp; B');
  });

  it('keeps dates from crowding: the first and latest always, those in between only with room', () => {
    const days = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-03-01', '2026-06-01', '2026-06-02'];
    const svg = measureChart(spec(days.map((d, i) => response(PHQ_9, d, i))));
    const labels = [...svg.matchAll(/>(2026-\d\d-\d\d)<\/text>/g)].map((m) => m[1]);
    expect(labels[0]).toBe('2026-01-01');
    expect(labels.at(-1)).toBe('2026-06-02');
    expect(labels).not.toContain('2026-01-02');
    expect(labels).toContain('2026-03-01');
    expect(circles(svg)).toHaveLength(6);
  });
});
