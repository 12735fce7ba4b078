import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';

/** How often a subnet offers one measure: at joining + `firstAfterDays`, then every `repeatEveryDays` (or once). */
export interface MeasureSchedule {
  instrumentKey: string;
  firstAfterDays: number;
  repeatEveryDays: number | null;
  active: boolean;
}

/** A measure a subnet uses, in one of a member's subnets, with what the member did with it there. */
export interface MeasureCandidate {
  subnetId: string;
  schedule: MeasureSchedule;
  /** The stored definition (an added instrument), or null for a built-in one (its definition is code). */
  storedDefinition: unknown;
  membership: { startedAt: Date; endsAt: Date | null };
  lastDueAt: Date | null;
  snoozedUntil: Date | null;
}

// Every member's lobby asks: one prepared round trip for every membership's active measures, the
// stored definition of an added one (only while the subnet still has it enabled), the latest
// occurrence handled and any snooze. A built-in instrument has no measure_instruments row.
const candidatesPrepared = preparedQuery<{ userId: string }>('measure_candidates', (db, p) =>
  db.raw(
    `SELECT sm.subnet_id, sm.instrument_key, sm.first_after_days, sm.repeat_every_days,
       mi.definition, m.started_at AS membership_started_at, m.ends_at AS membership_ends_at,
       (SELECT max(r.due_at) FROM measure_responses r
         WHERE r.user_id = m.user_id AND r.subnet_id = m.subnet_id AND r.instrument_key = sm.instrument_key) AS last_due_at,
       (SELECT sn.until FROM measure_snoozes sn
         WHERE sn.user_id = m.user_id AND sn.subnet_id = m.subnet_id AND sn.instrument_key = sm.instrument_key) AS snoozed_until
     FROM memberships m
     JOIN subnet_measures sm ON sm.subnet_id = m.subnet_id AND sm.active
     LEFT JOIN measure_instruments mi ON mi.key = sm.instrument_key
     WHERE m.user_id = ?
       AND (mi.key IS NULL OR EXISTS (SELECT 1 FROM subnet_instruments si
             WHERE si.subnet_id = sm.subnet_id AND si.instrument_key = sm.instrument_key))
     ORDER BY m.started_at, m.subnet_id, sm.instrument_key`,
    [p.userId],
  ),
);

/** Every membership's active measures with the member's handled state: one round trip. */
export async function measureCandidates(db: Db, userId: string): Promise<MeasureCandidate[]> {
  return (await candidatesPrepared(db, { userId })).map((r) => ({
    subnetId: r.subnet_id as string,
    schedule: toSchedule(r),
    storedDefinition: r.definition ?? null,
    membership: { startedAt: r.membership_started_at as Date, endsAt: (r.membership_ends_at as Date | null) ?? null },
    lastDueAt: (r.last_due_at as Date | null) ?? null,
    snoozedUntil: (r.snoozed_until as Date | null) ?? null,
  }));
}

const toSchedule = (r: Record<string, unknown>): MeasureSchedule => ({
  instrumentKey: r.instrument_key as string,
  firstAfterDays: Number(r.first_after_days),
  repeatEveryDays:
    r.repeat_every_days === null || r.repeat_every_days === undefined ? null : Number(r.repeat_every_days),
  active: r.active === undefined ? true : Boolean(r.active),
});

/** A new response: answered (scores, total, band) or declined (none of them). */
export type NewMeasureResponse = {
  userId: string;
  subnetId: string;
  instrumentKey: string;
  instrumentVersion: string;
  dueAt: Date;
} & ({ status: 'answered'; itemScores: Record<string, number>; total: number; band: string } | { status: 'declined' });

/**
 * Stores a response and clears the member's snooze of that measure. Returns its id, or null when
 * this occurrence was already answered or declined (a form sent twice).
 */
export async function insertMeasureResponse(db: Db, r: NewMeasureResponse): Promise<string | null> {
  const answered = r.status === 'answered';
  const [row] = await db('measure_responses')
    .insert({
      user_id: r.userId,
      subnet_id: r.subnetId,
      instrument_key: r.instrumentKey,
      instrument_version: r.instrumentVersion,
      due_at: r.dueAt,
      status: r.status,
      item_scores: answered ? JSON.stringify(r.itemScores) : null,
      total: answered ? r.total : null,
      band: answered ? r.band : null,
    })
    .onConflict(['user_id', 'subnet_id', 'instrument_key', 'due_at'])
    .ignore()
    .returning('id');
  await db('measure_snoozes')
    .where({ user_id: r.userId, subnet_id: r.subnetId, instrument_key: r.instrumentKey })
    .delete();
  return row ? String(row.id) : null;
}

/** The response already stored for one occurrence (the first of a form sent twice). */
export async function findResponseFor(
  db: Db,
  k: { userId: string; subnetId: string; instrumentKey: string; dueAt: Date },
): Promise<string | null> {
  const row = await db('measure_responses')
    .where({ user_id: k.userId, subnet_id: k.subnetId, instrument_key: k.instrumentKey, due_at: k.dueAt })
    .first('id');
  return row ? String(row.id) : null;
}

/** The id of a member's latest answered response to a measure in a subnet since `since`, if any. */
export async function findRecentAnswer(
  db: Db,
  k: { userId: string; subnetId: string; instrumentKey: string },
  since: Date,
): Promise<string | null> {
  const row = await db('measure_responses')
    .where({ user_id: k.userId, subnet_id: k.subnetId, instrument_key: k.instrumentKey, status: 'answered' })
    .where('answered_at', '>=', since)
    .orderBy('answered_at', 'desc')
    .first('id');
  return row ? String(row.id) : null;
}

/** One of a member's own responses, by id (undefined when it is not theirs). */
export async function findOwnResponse(
  db: Db,
  userId: string,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  return db('measure_responses').where({ id, user_id: userId }).first();
}

/** "Ask me later": not offered again until `until`. */
export async function snoozeMeasure(
  db: Db,
  k: { userId: string; subnetId: string; instrumentKey: string },
  until: Date,
): Promise<void> {
  await db('measure_snoozes')
    .insert({ user_id: k.userId, subnet_id: k.subnetId, instrument_key: k.instrumentKey, until })
    .onConflict(['user_id', 'subnet_id', 'instrument_key'])
    .merge({ until });
}

/** A subnet's schedule: every measure it has set, used or not. */
export async function findSchedules(db: Db, subnetId: string): Promise<MeasureSchedule[]> {
  return (await db('subnet_measures').where({ subnet_id: subnetId }).orderBy('instrument_key')).map(toSchedule);
}

/** Writes one measure's schedule in a subnet (inside the caller's transaction). */
export async function upsertSchedule(db: Db, subnetId: string, s: MeasureSchedule, by: string | null): Promise<void> {
  const row = {
    first_after_days: s.firstAfterDays,
    repeat_every_days: s.repeatEveryDays,
    active: s.active,
    updated_by: by,
    updated_at: db.fn.now(),
  };
  await db('subnet_measures')
    .insert({ subnet_id: subnetId, instrument_key: s.instrumentKey, ...row })
    .onConflict(['subnet_id', 'instrument_key'])
    .merge(row);
}

/** The keys of the added instruments a subnet has enabled. */
export async function findEnabledKeys(db: Db, subnetId: string): Promise<string[]> {
  return (await db('subnet_instruments').where({ subnet_id: subnetId }).orderBy('instrument_key')).map(
    (r) => r.instrument_key as string,
  );
}

/** An added instrument's row and how many responses it has (a definition with responses is never replaced). */
export async function findStoredInstrument(db: Db, key: string): Promise<{ responses: number } | undefined> {
  const row = await db('measure_instruments').where({ key }).first('key');
  if (!row) return undefined;
  const counted = await db('measure_responses').where({ instrument_key: key }).count('* as n').first();
  return { responses: Number(counted?.n ?? 0) };
}

/** Stores (or replaces) an added instrument's definition. */
export async function upsertInstrument(db: Db, key: string, definition: unknown, by: string | null): Promise<void> {
  const row = { definition: JSON.stringify(definition), added_by: by, added_at: db.fn.now() };
  await db('measure_instruments')
    .insert({ key, ...row })
    .onConflict('key')
    .merge(row);
}

/** Enables an added instrument in a subnet (no change when it already is). */
export async function enableInstrument(db: Db, subnetId: string, key: string, by: string | null): Promise<boolean> {
  const rows = await db('subnet_instruments')
    .insert({ subnet_id: subnetId, instrument_key: key, enabled_by: by })
    .onConflict(['subnet_id', 'instrument_key'])
    .ignore()
    .returning('instrument_key');
  return rows.length > 0;
}

/** Disables an added instrument in a subnet. */
export async function disableInstrument(db: Db, subnetId: string, key: string): Promise<boolean> {
  return (await db('subnet_instruments').where({ subnet_id: subnetId, instrument_key: key }).delete()) > 0;
}
