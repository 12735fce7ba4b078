import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { demoIds } from '../helpers/demo.js';
import { down, up } from '../../migrations/20261121007500_author_role_backfill.js';
import { migrationSource } from '../../migrations/index.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

describe('the author role backfill', () => {
  it('fills the role each author has now on existing messages, threads and replies, and leaves rows that have one', async () => {
    const ids = await demoIds(t.db);
    await down(t.db);
    const [{ id: messageId }] = await t
      .db('messages')
      .insert({
        room_id: ids.room('Anorexia living room'),
        author_id: ids.user('peermod'),
        client_id: randomUUID(),
        body: 'before',
      })
      .returning('id');
    const [{ id: kept }] = await t
      .db('messages')
      .insert({
        room_id: ids.room('Anorexia living room'),
        author_id: ids.user('peermod'),
        author_role: 'patient',
        client_id: randomUUID(),
        body: 'written as a member',
      })
      .returning('id');
    const [{ id: threadId }] = await t
      .db('threads')
      .insert({
        room_id: ids.room('Eating disorders noticeboard'),
        author_id: ids.user('anna'),
        title: 'Old thread',
        body: 'x',
      })
      .returning('id');
    const [{ id: replyId }] = await t
      .db('replies')
      .insert({ thread_id: threadId, author_id: ids.user('clinician'), body: 'y' })
      .returning('id');

    await up(t.db);

    const roleOf = async (table: string, id: unknown) =>
      (await t.db(table).where({ id }).first('author_role')).author_role;
    expect(await roleOf('messages', messageId)).toBe('peer_moderator');
    expect(await roleOf('messages', kept)).toBe('patient');
    expect(await roleOf('threads', threadId)).toBe('patient');
    expect(await roleOf('replies', replyId)).toBe('clinician');
    for (const table of ['messages', 'threads', 'replies'])
      expect(await t.db(table).whereNull('author_role').first()).toBeUndefined();
  });

  it('the author role and held-reason migrations roll back and run again', async () => {
    for (const name of [
      '20261121007500_author_role_backfill',
      '20261121007400_author_role',
      '20261121007300_held_reason_rule',
    ])
      await t.db.migrate.down({ migrationSource, name });
    expect(await t.db.schema.hasColumn('messages', 'author_role')).toBe(false);
    await t.db.migrate.latest({ migrationSource });
    expect(await t.db('messages').whereNull('author_role').first()).toBeUndefined();
    await expect(t.db('messages').update({ author_role: 'visitor' })).rejects.toThrow(/author_role_check/);
  });
});
