import type { Db } from '../../src/db/knex.js';
import { bandOf, type InstrumentDefinition } from '../../src/measures/instrument.js';
import type { MeasureResponse } from '../../src/measures/measure-response.js';

let nextId = 1;

/**
 * A response as the repository returns it, answered on a day (10:00 UTC) with a total (its band
 * from the definition) or declined: `response(PHQ_9, '2026-01-05', 18)`.
 */
export const response = (d: InstrumentDefinition, on: string, total: number | 'declined'): MeasureResponse => ({
  id: String(nextId++),
  userId: 'u',
  subnetId: 's',
  instrumentKey: d.key,
  instrumentVersion: d.version,
  dueAt: new Date(`${on}T09:00:00Z`),
  status: total === 'declined' ? 'declined' : 'answered',
  itemScores: total === 'declined' ? null : { '1': total },
  total: total === 'declined' ? null : total,
  band: total === 'declined' ? null : bandOf(d, total),
  answeredAt: new Date(`${on}T10:00:00Z`),
});

/** Item scores adding up to `total` over the scored items (each item's options go 0–3), highest items first. */
export function itemScoresFor(d: InstrumentDefinition, total: number, overrides: Record<string, number> = {}) {
  const scores: Record<string, number> = {};
  let left = total - Object.values(overrides).reduce((s, n) => s + n, 0);
  for (const item of d.items.filter((i) => i.scored)) {
    if (item.linkId in overrides) continue;
    const top = Math.max(...(item.options ?? d.options).map((o) => o.score));
    scores[item.linkId] = Math.min(top, Math.max(0, left));
    left -= scores[item.linkId] ?? 0;
  }
  if (left !== 0) throw new Error(`${d.key}: cannot make ${total} with ${JSON.stringify(overrides)}`);
  return { ...scores, ...overrides };
}

/**
 * Inserts a member's answered (or declined) occurrence straight into measure_responses, as the
 * answering flow would store it: `await insertResponse(db, { userId, subnetId }, PHQ_9, '2026-01-05', 18)`.
 * `overrides` fixes some items' scores (PHQ-9 item 9: `{ '9': 1 }`), the rest make up the total.
 */
export async function insertResponse(
  db: Db,
  who: { userId: string; subnetId: string },
  d: InstrumentDefinition,
  on: string,
  total: number | 'declined',
  overrides: Record<string, number> = {},
): Promise<string> {
  const answered = total !== 'declined';
  const [{ id }] = await db('measure_responses')
    .insert({
      user_id: who.userId,
      subnet_id: who.subnetId,
      instrument_key: d.key,
      instrument_version: d.version,
      due_at: new Date(`${on}T09:00:00Z`),
      status: answered ? 'answered' : 'declined',
      item_scores: answered ? JSON.stringify(itemScoresFor(d, total, overrides)) : null,
      total: answered ? total : null,
      band: answered ? bandOf(d, total) : null,
      answered_at: new Date(`${on}T10:00:00Z`),
    })
    .returning('id');
  return String(id);
}
