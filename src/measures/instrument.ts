/**
 * A validated outcome measure ("instrument"): its exact published items and answer options, how it
 * is scored, its severity bands and its source and licence. PHQ-9 and GAD-7 are built in (see
 * ./instruments/); a trust adds others from a definition file (JSON) that this schema checks, for
 * instruments whose licence it holds. Pure data and pure functions: no I/O.
 */
import { z } from 'zod';

const Code = z.strictObject({
  system: z.string().url().max(200),
  code: z.string().min(1).max(64),
  display: z.string().min(1).max(300).optional(),
});

const Option = z.strictObject({
  /** The exact published wording of the answer. */
  label: z.string().min(1).max(200),
  /** Points this answer scores. */
  score: z.number().int().min(0).max(100),
  /** The answer's code (LOINC answer list, where one exists). */
  code: Code.optional(),
});

const Item = z.strictObject({
  /** Stable item identifier used in stored answers and FHIR linkIds: "1", "2"... */
  linkId: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/),
  /** The exact published wording of the item. */
  text: z.string().min(1).max(500),
  code: Code.optional(),
  /** Counted in the total. An unscored item (PHQ-9's difficulty question) is asked but not added up. */
  scored: z.boolean().default(true),
  /** Answering is optional (PHQ-9's difficulty question is). Scored items are always required. */
  required: z.boolean().default(true),
  /** Options for this item when they differ from the instrument's. */
  options: z.array(Option).min(2).max(12).optional(),
  /** Answers at or above this score raise an alert to the member's care team at once (PHQ-9 item 9: 1). */
  alertAtOrAbove: z.number().int().min(0).optional(),
});

const Band = z.strictObject({
  min: z.number().int().min(0),
  max: z.number().int().min(0),
  /** The published label, as clinicians use it ("Moderate"). */
  label: z.string().min(1).max(80),
});

/** LOINC's code for PHQ-9 question 9, thoughts of being better off dead or of hurting oneself. */
const SELF_HARM_ITEM = '44260-8';

/** An instrument definition, as shipped in code or read from a trust's definition file. */
export const InstrumentDefinition = z
  .strictObject({
    /** Short stable key: "phq-9", "gad-7", "core-10". */
    key: z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/),
    /** The name shown to members and staff: "PHQ-9". */
    name: z.string().min(1).max(40),
    /** What it measures, in plain words: "Depression". */
    measures: z.string().min(1).max(80),
    /** The published version of the wording this follows. */
    version: z.string().min(1).max(40),
    /** The question stem shown above the items. */
    stem: z.string().min(1).max(500),
    /** The answer options shared by the items (each item may give its own). */
    options: z.array(Option).min(2).max(12),
    items: z.array(Item).min(1).max(60),
    /** The total's range and how to read it. */
    total: z.strictObject({
      min: z.number().int().min(0),
      max: z.number().int().min(1),
      /** Higher totals mean more severe difficulty (true for PHQ-9, GAD-7, CORE-10). */
      higherIsWorse: z.boolean(),
      code: Code.optional(),
    }),
    bands: z.array(Band).min(1).max(10),
    /** Thresholds clinicians use for this measure, where published. */
    caseness: z.number().int().min(0).optional(),
    reliableChange: z.number().int().min(1).optional(),
    /** The instrument's panel code (LOINC), for FHIR. */
    code: Code.optional(),
    source: z.string().min(1).max(1000),
    /** The licence under which this text is used: a definition without one is refused. */
    licence: z.string().min(10).max(1000),
  })
  .superRefine((d, ctx) => {
    const ids = new Set<string>();
    for (const [i, item] of d.items.entries()) {
      if (ids.has(item.linkId))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'linkId'], message: 'duplicate linkId' });
      ids.add(item.linkId);
      // PHQ-9's question 9 (LOINC 44260-8) in any instrument must alert the care team (hazard H36).
      if (item.code?.code === SELF_HARM_ITEM && item.alertAtOrAbove === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'alertAtOrAbove'],
          message:
            'the question on thoughts of being better off dead or of self-harm (44260-8) must alert: set alertAtOrAbove',
        });
      // Only the score is stored, so two answers scoring the same would be indistinguishable later.
      const scores = (item.options ?? d.options).map((o) => o.score);
      if (new Set(scores).size !== scores.length)
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'options'],
          message: 'each answer to an item must score differently',
        });
      if (item.scored && !item.required)
        ctx.addIssue({ code: 'custom', path: ['items', i, 'required'], message: 'a scored item must be required' });
    }
    const scored = d.items.filter((i) => i.scored);
    const max = scored.reduce((s, i) => s + Math.max(...(i.options ?? d.options).map((o) => o.score)), 0);
    const min = scored.reduce((s, i) => s + Math.min(...(i.options ?? d.options).map((o) => o.score)), 0);
    if (max !== d.total.max || min !== d.total.min)
      ctx.addIssue({
        code: 'custom',
        path: ['total'],
        message: `the items add up to ${min}–${max}, not ${d.total.min}–${d.total.max}`,
      });
    const sorted = [...d.bands].sort((a, b) => a.min - b.min);
    let next = d.total.min;
    for (const b of sorted) {
      if (b.min !== next || b.max < b.min)
        ctx.addIssue({
          code: 'custom',
          path: ['bands'],
          message: `bands must cover ${d.total.min}–${d.total.max} without gaps or overlaps`,
        });
      next = b.max + 1;
    }
    if (next !== d.total.max + 1)
      ctx.addIssue({
        code: 'custom',
        path: ['bands'],
        message: `bands must cover ${d.total.min}–${d.total.max} without gaps or overlaps`,
      });
  });

export type InstrumentDefinition = z.infer<typeof InstrumentDefinition>;
export type InstrumentItem = InstrumentDefinition['items'][number];
export type InstrumentOption = InstrumentDefinition['options'][number];

/** The options offered for an item (its own, or the instrument's). */
export const optionsOf = (d: InstrumentDefinition, item: InstrumentItem): InstrumentOption[] =>
  item.options ?? d.options;

/** A member's answers: the score chosen for each item, by linkId (unanswered optional items absent). */
export type ItemScores = Readonly<Record<string, number>>;

export interface Scored {
  total: number;
  band: string;
  /** linkIds of items whose answer is at or above their alert threshold (PHQ-9 item 9 above "Not at all"). */
  alerts: string[];
}

/**
 * Scores a complete set of answers by the instrument's published rule: the sum of the scored items.
 * @throws Error when a scored item is missing or a score is not one of the item's options
 * (a programming error: forms are validated with `readItemScores` first).
 */
export function score(d: InstrumentDefinition, answers: ItemScores): Scored {
  let total = 0;
  const alerts: string[] = [];
  for (const item of d.items) {
    const s = answers[item.linkId];
    if (s === undefined) {
      if (item.required) throw new Error(`${d.key}: item ${item.linkId} is unanswered`);
      continue;
    }
    if (!optionsOf(d, item).some((o) => o.score === s))
      throw new Error(`${d.key}: item ${item.linkId} has no option scoring ${s}`);
    if (item.scored) total += s;
    if (item.alertAtOrAbove !== undefined && s >= item.alertAtOrAbove) alerts.push(item.linkId);
  }
  return { total, band: bandOf(d, total), alerts };
}

/** The published severity band a total falls in. */
export function bandOf(d: InstrumentDefinition, total: number): string {
  const band = d.bands.find((b) => total >= b.min && total <= b.max);
  if (!band) throw new Error(`${d.key}: ${total} is outside ${d.total.min}–${d.total.max}`);
  return band.label;
}

/**
 * Reads a submitted form (`item-<linkId>` = the chosen option's score) into item scores, or says,
 * for every item at once, what is missing or wrong.
 */
export function readItemScores(
  d: InstrumentDefinition,
  body: Record<string, unknown>,
): { ok: true; answers: Record<string, number> } | { ok: false; errors: { field: string; message: string }[] } {
  const answers: Record<string, number> = {};
  const errors: { field: string; message: string }[] = [];
  for (const [i, item] of d.items.entries()) {
    const field = `item-${item.linkId}`;
    const raw = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
    if (!raw) {
      if (item.required) errors.push({ field, message: `Choose an answer to question ${i + 1}` });
      continue;
    }
    const n = Number(raw);
    if (!/^\d{1,3}$/.test(raw) || !optionsOf(d, item).some((o) => o.score === n))
      errors.push({ field, message: `Choose one of the answers to question ${i + 1}` });
    else answers[item.linkId] = n;
  }
  return errors.length ? { ok: false, errors } : { ok: true, answers };
}
