import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { migrationSource } from '../../migrations/index.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/** Tables whose rows erasure, export and retention find or delete through foreign keys. */
const REFERENCED = ['users', 'rooms', 'messages', 'threads', 'replies'];

/**
 * Foreign keys into `REFERENCED` whose first column leads no index (as "table(columns) -> referenced").
 * For a two-column key such as room_audiences(room_id, subnet_id) an index leading with room_id is enough.
 */
async function unindexedForeignKeys(): Promise<string[]> {
  const { rows } = await t.db.raw<{ rows: { fk: string }[] }>(
    `SELECT format('%s(%s) -> %s', c.conrelid::regclass, (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
              FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), c.confrelid::regclass) AS fk
       FROM pg_constraint c
      WHERE c.contype = 'f' AND c.confrelid::regclass::text = ANY (?)
        AND NOT EXISTS (SELECT 1 FROM pg_index i
                         WHERE i.indrelid = c.conrelid
                           AND (i.indkey::int2[])[0] = c.conkey[1])
      ORDER BY 1`,
    [REFERENCED],
  );
  return rows.map((r) => r.fk);
}

describe('foreign keys used by erasure, export and retention', () => {
  it('every foreign key to users, rooms, messages, threads and replies has an index that leads with its first column', async () => {
    expect(await unindexedForeignKeys()).toEqual([]);
  });

  it('the index migrations roll back and run again', async () => {
    const names = ['20261202010200_content_foreign_key_indexes', '20261202010100_user_foreign_key_indexes'];
    const listed = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    const after = listed.slice(listed.indexOf(names[0] ?? '') + 1).reverse();
    for (const name of [...after, ...names]) await t.db.migrate.down({ migrationSource, name });
    expect(await unindexedForeignKeys()).toContain('threads(author_id) -> users');
    expect(await unindexedForeignKeys()).toContain('alerts(message_id) -> messages');
    await t.db.migrate.latest({ migrationSource });
    expect(await unindexedForeignKeys()).toEqual([]);
  });
});
