/**
 * A measure's totals over time as an SVG line chart, drawn on the server (no script in the browser).
 * The y axis runs over the instrument's whole range (0–27 for PHQ-9), so a chart never exaggerates
 * a small move; the severity bands are faint labelled lines for context, in one neutral colour
 * (no red or green: a score is not good or bad news on a chart). The x axis is time, so gaps
 * between answers show as gaps. Declined occurrences are not scores and are left out.
 *
 * The SVG is an image with an accessible name (its title) and description (the trend in words);
 * the same numbers are in a table beside it on every page that shows one. Pure: no I/O, no clock.
 */
import ejs from 'ejs';
import type { InstrumentDefinition } from './instrument.js';
import type { MeasureResponse } from './measure-response.js';

/** The drawing's size in its own units (it scales to its container: viewBox, width 100%). */
export const CHART = { width: 560, height: 300, left: 40, right: 146, top: 16, bottom: 44 } as const;
const PLOT_RIGHT = CHART.width - CHART.right;
const PLOT_BOTTOM = CHART.height - CHART.bottom;
/** Date labels closer than this (in drawing units) to one already placed are left out (the table has them all). */
const MIN_LABEL_GAP = 96;

const SECONDARY = '#4c6272';
const FAINT = '#aeb7bd';
const LINE = '#005eb8';

export interface ChartSpec {
  /** Unique on the page: the title and description get ids from it. */
  id: string;
  /** The accessible name ("Your PHQ-9 scores over time"). */
  title: string;
  /** The trend in words, for people who cannot see the drawing. */
  description: string;
  definition: InstrumentDefinition;
  responses: readonly MeasureResponse[];
  /** How a date is written under the x axis (the page's time zone). */
  formatDate: (d: Date) => string;
}

export interface ChartPoint {
  x: number;
  y: number;
  total: number;
  at: Date;
}

const round = (n: number) => Math.round(n * 10) / 10;
const esc = (s: string) => ejs.escapeXML(s);

/** The y coordinate of a total on the instrument's scale (its minimum at the bottom). */
export function yOf(d: InstrumentDefinition, total: number): number {
  const span = d.total.max - d.total.min;
  return round(PLOT_BOTTOM - ((total - d.total.min) / span) * (PLOT_BOTTOM - CHART.top));
}

/**
 * Where each answered occurrence is drawn, oldest first: x by time between the first and the
 * latest answer (a single answer, or answers at one instant, in the middle), y by total.
 */
export function chartPoints(d: InstrumentDefinition, responses: readonly MeasureResponse[]): ChartPoint[] {
  const answered = responses
    .filter((r) => r.instrumentKey === d.key && r.status === 'answered' && r.total !== null)
    .map((r) => ({ total: r.total ?? 0, at: r.answeredAt }))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const from = answered[0]?.at.getTime() ?? 0;
  const span = (answered.at(-1)?.at.getTime() ?? 0) - from;
  return answered.map((p) => ({
    ...p,
    x: round(
      span > 0
        ? CHART.left + ((p.at.getTime() - from) / span) * (PLOT_RIGHT - CHART.left)
        : (CHART.left + PLOT_RIGHT) / 2,
    ),
    y: yOf(d, p.total),
  }));
}

const text = (x: number, y: number, s: string, attrs = '') =>
  `<text x="${x}" y="${y}" font-size="15" fill="${SECONDARY}"${attrs}>${esc(s)}</text>`;

/** The axes, the range's ends and each band: a faint line at its lower edge, its name in the right margin. */
function axesAndBands(d: InstrumentDefinition): string[] {
  const out = [
    `<line x1="${CHART.left}" y1="${PLOT_BOTTOM}" x2="${PLOT_RIGHT}" y2="${PLOT_BOTTOM}" stroke="${SECONDARY}"/>`,
    `<line x1="${CHART.left}" y1="${CHART.top}" x2="${CHART.left}" y2="${PLOT_BOTTOM}" stroke="${SECONDARY}"/>`,
    text(CHART.left - 6, yOf(d, d.total.min) + 4, String(d.total.min), ' text-anchor="end"'),
    text(CHART.left - 6, yOf(d, d.total.max) + 4, String(d.total.max), ' text-anchor="end"'),
  ];
  for (const b of [...d.bands].sort((a, z) => a.min - z.min)) {
    if (b.min > d.total.min) {
      const y = yOf(d, b.min);
      out.push(
        `<line x1="${CHART.left}" y1="${y}" x2="${PLOT_RIGHT}" y2="${y}" stroke="${FAINT}" stroke-dasharray="4 4"/>`,
        text(CHART.left - 6, y + 4, String(b.min), ' text-anchor="end"'),
      );
    }
    out.push(text(PLOT_RIGHT + 8, round((yOf(d, b.min) + yOf(d, b.max)) / 2 + 4), b.label));
  }
  return out;
}

/** Dates under the x axis: the first and the latest always, others where they do not crowd. */
function dateLabels(points: readonly ChartPoint[], formatDate: (d: Date) => string): string[] {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return [];
  const placed: ChartPoint[] = [first];
  for (const p of points.slice(1, -1))
    if (p.x - (placed.at(-1)?.x ?? 0) >= MIN_LABEL_GAP && last.x - p.x >= MIN_LABEL_GAP) placed.push(p);
  if (last !== first && last.x - (placed.at(-1)?.x ?? 0) >= MIN_LABEL_GAP) placed.push(last);
  else if (last !== first) placed.splice(-1, 1, last);
  return placed.map((p) => text(p.x, PLOT_BOTTOM + 20, formatDate(p.at), ' text-anchor="middle"'));
}

/** The chart as SVG markup; every piece of text in it is escaped. */
export function measureChart(spec: ChartSpec): string {
  const points = chartPoints(spec.definition, spec.responses);
  const id = esc(spec.id);
  const line =
    points.length > 1
      ? `<polyline points="${points.map((p) => `${p.x},${p.y}`).join(' ')}" fill="none" stroke="${LINE}" stroke-width="3"/>`
      : '';
  return [
    `<svg class="sharon-chart" viewBox="0 0 ${CHART.width} ${CHART.height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" focusable="false" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="${id}-title">${esc(spec.title)}</title>`,
    `<desc id="${id}-desc">${esc(spec.description)}</desc>`,
    ...axesAndBands(spec.definition),
    line,
    ...points.map((p) => `<circle cx="${p.x}" cy="${p.y}" r="5" fill="${LINE}" stroke="#ffffff" stroke-width="2"/>`),
    ...dateLabels(points, spec.formatDate),
    '</svg>',
  ]
    .filter(Boolean)
    .join('\n');
}
