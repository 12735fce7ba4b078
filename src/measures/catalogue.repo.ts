import type { Db } from '../db/knex.js';
import { InstrumentDefinition } from './instrument.js';
import { BUILT_IN_INSTRUMENTS } from './instruments/index.js';

/**
 * Every instrument that exists: the built-in ones (code) and those a trust added from definition
 * files. A stored definition is parsed again on read, so a row edited by hand cannot score wrongly.
 */
export async function allInstruments(db: Db): Promise<InstrumentDefinition[]> {
  const rows = await db('measure_instruments').orderBy('key').select('definition');
  return [...BUILT_IN_INSTRUMENTS, ...rows.map((r) => InstrumentDefinition.parse(r.definition))];
}

/** One instrument by key, built-in or added, or undefined. */
export async function findInstrument(db: Db, key: string): Promise<InstrumentDefinition | undefined> {
  const builtIn = BUILT_IN_INSTRUMENTS.find((d) => d.key === key);
  if (builtIn) return builtIn;
  const row = await db('measure_instruments').where({ key }).first('definition');
  return row ? InstrumentDefinition.parse(row.definition) : undefined;
}
