import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { down, up } from '../../migrations/20261121003000_nickname_skeleton_backfill.js';
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';
import { migrationSource } from '../../migrations/index.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const skeletonOf = async (username: string) =>
  (await t.db('users').where({ username }).first('nickname_skeleton')).nickname_skeleton;

describe('the nickname skeleton backfill', () => {
  it('fills every account; where nicknames already look alike the oldest keeps it; erased accounts get none', async () => {
    await down(t.db);
    const hash = (await t.db('users').where({ username: 'anna' }).first()).password_hash;
    await t.db('users').insert([
      {
        username: 'oldsam',
        nickname: 'Sàm',
        role: 'patient',
        password_hash: hash,
        created_at: new Date(Date.now() + 60_000),
      },
      { username: 'erased-0a1b2c3d', nickname: 'Former member 0a1b2c3d', role: 'patient', status: 'erased' },
    ]);
    expect(await t.db('users').whereNotNull('nickname_skeleton').first()).toBeUndefined();

    await up(t.db);

    expect(await skeletonOf('anna')).toBe(nicknameSkeleton('Willow'));
    expect(await skeletonOf('peermod')).toBe(nicknameSkeleton('Sam'));
    expect(await skeletonOf('oldsam')).toBeNull(); // keeps the nickname Sàm; Sam's skeleton still blocks look-alikes
    expect(await skeletonOf('erased-0a1b2c3d')).toBeNull();
    const missing = await t.db('users').whereNull('nickname_skeleton').whereNot('status', 'erased').pluck('username');
    expect(missing).toEqual(['oldsam']);
  });

  it('both nickname skeleton migrations roll back and run again', async () => {
    await t.db.migrate.down({ migrationSource, name: '20261121003000_nickname_skeleton_backfill' });
    await t.db.migrate.down({ migrationSource, name: '20261121002900_nickname_skeleton' });
    expect(await t.db.schema.hasColumn('users', 'nickname_skeleton')).toBe(false);
    await t.db.migrate.latest({ migrationSource });
    expect(await skeletonOf('anna')).toBe(nicknameSkeleton('Willow'));
  });
});
