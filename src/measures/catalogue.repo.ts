import type { Db } from '../db/knex.js';
import { InstrumentDefinition } from './instrument.js';
import { BUILT_IN_INSTRUMENTS } from './instruments/index.js';

/**
 * A stored definition, parsed again on read so that a row edited by hand cannot score wrongly; one
 * that no longer passes (edited by hand, or the schema tightened since) is left out as if absent,
 * rather than failing every page that lists instruments (the lobby, progress, member pages, the
 * landing page after answering with its crisis contacts).
 */
const parsed = (definition: unknown): InstrumentDefinition | undefined => {
  const result = InstrumentDefinition.safeParse(definition);
  return result.success ? result.data : undefined;
};

/** Every instrument that exists: the built-in ones (code) and those a trust added from definition files. */
export async function allInstruments(db: Db): Promise<InstrumentDefinition[]> {
  const rows = await db('measure_instruments').orderBy('key').select('definition');
  return [...BUILT_IN_INSTRUMENTS, ...rows.map((r) => parsed(r.definition)).filter((d) => d !== undefined)];
}

/** One instrument by key, built-in or added, or undefined. */
export async function findInstrument(db: Db, key: string): Promise<InstrumentDefinition | undefined> {
  const builtIn = BUILT_IN_INSTRUMENTS.find((d) => d.key === key);
  if (builtIn) return builtIn;
  const row = await db('measure_instruments').where({ key }).first('definition');
  return row ? parsed(row.definition) : undefined;
}
