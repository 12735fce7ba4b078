import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/knex.js';
import { PERSONAL_DATA, type PersonalDataTable } from '../../src/privacy/registry.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// A column "references a person" when it is a foreign key to users.id, or (without a foreign key)
// a uuid column named like one: user_id, *_user_id, *author_id, *_by, member_id. Today every such
// column has its foreign key; the name rule catches one added without.
const PERSON_COLUMNS_SQL = `
  SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
   WHERE c.contype = 'f' AND c.confrelid = 'users'::regclass
  UNION
  SELECT table_name, column_name FROM information_schema.columns
   WHERE table_schema = 'public' AND data_type = 'uuid'
     AND (column_name ~ '(^|_)user_id$' OR column_name ~ 'author_id$' OR column_name ~ '_by$' OR column_name = 'member_id')
  ORDER BY 1, 2`;

/** Every problem with the registry against the live schema, as readable lines (none when it is complete). */
async function registryProblems(db: Db, registry: readonly PersonalDataTable[]): Promise<string[]> {
  const { rows } = await db.raw<{ rows: { table_name: string; column_name: string }[] }>(PERSON_COLUMNS_SQL);
  const problems: string[] = [];
  for (const { table_name: table, column_name: column } of rows) {
    const entry = registry.find((t) => t.table === table);
    const rule = entry?.personColumns[column];
    if (!entry || !rule) {
      problems.push(`${table}.${column}: no rule in the personal-data registry`);
      continue;
    }
    if (rule.export === true ? !entry.export : !rule.export.omit.trim())
      problems.push(`${table}.${column}: exported without an export function, or omitted without a reason`);
    if (rule.erase === true ? !entry.erase : !rule.erase.retain.trim())
      problems.push(`${table}.${column}: erased without an erase function, or retained without a reason`);
  }
  const columns = await db('information_schema.columns')
    .where({ table_schema: 'public' })
    .select('table_name', 'column_name');
  for (const entry of registry) {
    if (!columns.some((c) => c.table_name === entry.table))
      problems.push(`${entry.table}: in the registry but not in the database`);
    for (const column of Object.keys(entry.personColumns)) {
      if (!rows.some((r) => r.table_name === entry.table && r.column_name === column))
        problems.push(`${entry.table}.${column}: a rule for a column that does not reference a person`);
    }
    if (Object.keys(entry.personColumns).length === 0 && !entry.findsPersonBy)
      problems.push(`${entry.table}: no person column and no findsPersonBy`);
  }
  return problems;
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('the personal-data registry', () => {
  it('covers every column that references a person, for both export and erasure, or says why it stays', async () => {
    expect(await registryProblems(database.db, PERSONAL_DATA)).toEqual([]);
  });

  it('fails for a new table whose person column nobody declared', async () => {
    await database.db.raw(
      'CREATE TABLE diary_entries (id bigserial PRIMARY KEY, owner_id uuid NOT NULL REFERENCES users (id), body text NOT NULL)',
    );
    await database.db.raw('CREATE TABLE bookmarks (id bigserial PRIMARY KEY, saved_by uuid NOT NULL)');
    try {
      expect(await registryProblems(database.db, PERSONAL_DATA)).toEqual([
        'bookmarks.saved_by: no rule in the personal-data registry',
        'diary_entries.owner_id: no rule in the personal-data registry',
      ]);
      const halfDone: PersonalDataTable = {
        table: 'diary_entries',
        personColumns: { owner_id: { export: true, erase: true } },
        erase: async () => undefined,
      };
      expect(
        await registryProblems(database.db, [
          ...PERSONAL_DATA,
          halfDone,
          { table: 'bookmarks', personColumns: { saved_by: { export: { omit: '' }, erase: { retain: 'x' } } } },
        ]),
      ).toEqual([
        'bookmarks.saved_by: exported without an export function, or omitted without a reason',
        'diary_entries.owner_id: exported without an export function, or omitted without a reason',
      ]);
    } finally {
      await database.db.raw('DROP TABLE diary_entries, bookmarks');
    }
  });

  it('docs/privacy.md names every table in the registry', async () => {
    const doc = await readFile(new URL('../../docs/privacy.md', import.meta.url), 'utf8');
    expect(PERSONAL_DATA.map((t) => t.table).filter((table) => !doc.includes(`\`${table}\``))).toEqual([]);
  });

  it('lists each table once, and the users row is erased last', () => {
    const tables = PERSONAL_DATA.map((t) => t.table);
    expect(new Set(tables).size).toBe(tables.length);
    expect(tables.at(-1)).toBe('users');
  });
});
