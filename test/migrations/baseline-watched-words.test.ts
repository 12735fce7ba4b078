import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { down, up } from '../../migrations/20261121007200_baseline_watched_words_backfill.js';
import { migrationSource } from '../../migrations/index.js';
import { demoIds } from '../helpers/demo.js';

let t: TestDatabase;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await createTestDatabase();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.drop();
});

const rulesOf = async (slug: string) =>
  (
    await t
      .db('watched_words')
      .where({ subnet_id: ids.subnet(slug) })
      .select('room_id', 'kind', 'pattern', 'action')
  )
    .map((r) => `${r.room_id ? 'room' : 'subnet'} ${r.kind} ${r.pattern} ${r.action}`)
    .sort();

describe('the safety baseline backfill', () => {
  it('removes the copies of the baseline from existing subnets and keeps their condition rules', async () => {
    await down(t.db); // the rows as the earlier code kept them
    expect(await rulesOf('first-step')).toContain('subnet phrase end it all alert');
    const room = ids.room('Anorexia living room');
    await t.db('watched_words').insert([
      {
        subnet_id: ids.subnet('eating-disorders'),
        kind: 'phrase',
        pattern: 'Self-Harm',
        action: 'alert',
        room_id: room,
      },
      { subnet_id: ids.subnet('eating-disorders'), kind: 'phrase', pattern: 'Suicidal', action: 'alert' },
      { subnet_id: ids.subnet('eating-disorders'), kind: 'builtin', pattern: 'email', action: 'hold', room_id: room },
      {
        subnet_id: ids.subnet('eating-disorders'),
        kind: 'builtin',
        pattern: 'email',
        action: 'alert',
        room_id: ids.room('Bulimia living room'),
      },
      { subnet_id: ids.subnet('eating-disorders'), kind: 'phrase', pattern: 'suicide', action: 'hold', room_id: room },
    ]);

    await up(t.db);

    expect(await rulesOf('eating-disorders')).toEqual([
      'room builtin email alert',
      'room builtin numbers hold',
      'room builtin numbers hold',
      'room builtin numbers hold',
      'room builtin numbers hold',
      'room phrase suicide hold',
      'subnet phrase purging again alert',
    ]);
    expect(await rulesOf('first-step')).toEqual([]);
  });

  it('both baseline migrations roll back and run again; a rollback leaves every subnet alerting and holding, except holds a subnet had switched off', async () => {
    await t.db('baseline_holds_off').insert({
      subnet_id: ids.subnet('first-step'),
      detector: 'phone',
      reason: 'Agreed with the CSO',
      switched_off_by: ids.user('clinician'),
    });
    await t.db.migrate.down({ migrationSource, name: '20261121007200_baseline_watched_words_backfill' });
    const rolledBack = await rulesOf('first-step');
    expect(rolledBack).toEqual(
      expect.arrayContaining([
        'subnet builtin email hold',
        'subnet builtin link hold',
        'subnet phrase end it all alert',
        'subnet phrase kill myself alert',
      ]),
    );
    expect(rolledBack).not.toContain('subnet builtin phone hold');
    await t.db.migrate.down({ migrationSource, name: '20261121007100_baseline_holds_off' });
    expect(await t.db.schema.hasTable('baseline_holds_off')).toBe(false);
    await t.db.migrate.latest({ migrationSource });
    expect(await t.db.schema.hasTable('baseline_holds_off')).toBe(true);
    expect(await rulesOf('first-step')).toEqual([]);
  });
});
