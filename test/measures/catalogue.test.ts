import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { allInstruments, findInstrument } from '../../src/measures/catalogue.repo.js';

// A stored definition that no longer passes the schema (edited by hand, or the schema tightened
// since) is left out as if absent, instead of failing every page that lists instruments.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the instrument catalogue', () => {
  it('leaves out a stored definition that no longer passes the schema, and keeps the rest', async () => {
    await t.db('measure_instruments').insert({ key: 'broken-1', definition: JSON.stringify({ key: 'broken-1' }) });
    try {
      expect(await findInstrument(t.db, 'broken-1')).toBeUndefined();
      expect((await allInstruments(t.db)).map((d) => d.key)).toEqual(['phq-9', 'gad-7']);
      expect((await findInstrument(t.db, 'phq-9'))?.name).toBe('PHQ-9');
    } finally {
      await t.db('measure_instruments').where({ key: 'broken-1' }).delete();
    }
  });
});
