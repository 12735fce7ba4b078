import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { makeMessage, makeRoom, makeSubnet, makeUser } from '../helpers/factories.js';
import { migrationSource } from '../../migrations/index.js';
import { ACCOUNT_STATUSES, MEMBER_ROLES, ROLES, ROOM_KINDS } from '../../src/policy/types.js';
import { NOTIFICATION_KINDS, NOTIFICATION_TARGET_KINDS } from '../../src/notifications/notifications.repo.js';
import { REPORT_OUTCOMES } from '../../src/moderation/moderation.repo.js';
import { AUDIT_OUTCOMES } from '../../src/audit/audit.repo.js';
import { BASELINE_HOLDS, WATCH_ACTIONS } from '../../src/moderation/watched-words.js';
import { MESSAGE_STATUSES } from '../../src/chat/chat.repo.js';
import { CARE_EVENT_KINDS } from '../../src/members/care-events.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

/**
 * Each text column whose values come from a TypeScript constant, with that constant: the column's
 * CHECK must allow exactly these values, so adding a value in code without a migration (or the
 * other way round) fails here.
 */
const VOCABULARIES: ReadonlyArray<readonly [table: string, column: string, values: readonly string[]]> = [
  ['notifications', 'kind', NOTIFICATION_KINDS],
  ['notifications', 'target_kind', NOTIFICATION_TARGET_KINDS],
  ['reports', 'outcome', REPORT_OUTCOMES],
  ['baseline_holds_off', 'detector', BASELINE_HOLDS],
  ['audit_log', 'outcome', AUDIT_OUTCOMES],
  ['users', 'role', ROLES],
  ['users', 'status', ACCOUNT_STATUSES],
  ['invitation_keys', 'role', MEMBER_ROLES],
  ['rooms', 'kind', ROOM_KINDS],
  ['messages', 'status', MESSAGE_STATUSES],
  ['threads', 'status', MESSAGE_STATUSES],
  ['replies', 'status', MESSAGE_STATUSES],
  ['messages', 'author_role', ROLES],
  ['threads', 'author_role', ROLES],
  ['replies', 'author_role', ROLES],
  ['care_events', 'kind', CARE_EVENT_KINDS],
  ['watched_words', 'action', WATCH_ACTIONS],
];

/** The values a column's own CHECK constraint allows (the quoted literals of its one-column CHECK). */
async function allowedValues(table: string, column: string): Promise<string[]> {
  const { rows } = await t.db.raw<{ rows: { def: string }[] }>(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'c' AND c.conrelid = ?::regclass AND cardinality(c.conkey) = 1 AND a.attname = ?`,
    [table, column],
  );
  if (rows.length !== 1)
    throw new Error(`${table}.${column} has ${rows.length} one-column CHECK constraints, expected 1`);
  return [...(rows[0]?.def ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '').sort();
}

describe('closed vocabularies: the database allows exactly what the code can write', () => {
  it.each(VOCABULARIES.map(([table, column, values]) => ({ name: `${table}.${column}`, table, column, values })))(
    '$name allows exactly its TypeScript constant',
    async ({ table, column, values }) => {
      expect(await allowedValues(table, column)).toEqual([...values].sort());
    },
  );

  it('a notification of an unknown kind and a report closed with an unknown outcome are refused', async () => {
    const user = (await t.db('users').where({ username: 'anna' }).first('id')).id;
    await expect(t.db('notifications').insert({ user_id: user, kind: 'thread-reply', link: '/' })).rejects.toThrow(
      /notifications_kind_check/,
    );
    const subnet = await makeSubnet(t.db);
    const member = await makeUser(t.db, { subnetId: subnet.id, cohortId: subnet.cohorts.everyone });
    const message = await makeMessage(t.db, {
      roomId: await makeRoom(t.db, { subnetId: subnet.id }),
      authorId: member.id,
    });
    const report = { message_id: message, reporter_id: user, reason: 'r', status: 'closed' };
    await expect(t.db('reports').insert({ ...report, outcome: 'deleted' })).rejects.toThrow(/reports_outcome_check/);
    await t.db('reports').insert({ ...report, outcome: 'dismissed' });
    await expect(t.db('audit_log').insert({ action: 'login', outcome: 'maybe' })).rejects.toThrow(
      /audit_log_outcome_check/,
    );
    await expect(
      t
        .db('baseline_holds_off')
        .insert({ subnet_id: subnet.id, detector: 'emails', reason: 'r', switched_off_by: user }),
    ).rejects.toThrow(/baseline_holds_off_detector_check/);
  });

  it('the CHECK migrations roll back and run again', async () => {
    const names = [
      '20261202010600_audit_outcome_check',
      '20261202010500_baseline_detector_check',
      '20261202010400_report_outcome_check',
      '20261202010300_notification_kind_check',
    ];
    const listed = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    const after = listed.slice(listed.indexOf(names[0] ?? '') + 1).reverse();
    for (const name of [...after, ...names]) await t.db.migrate.down({ migrationSource, name });
    const user = (await t.db('users').where({ username: 'anna' }).first('id')).id;
    const [{ id }] = await t
      .db('notifications')
      .insert({ user_id: user, kind: 'unchecked', link: '/' })
      .returning('id');
    await t.db('notifications').where({ id }).delete();
    await t.db.migrate.latest({ migrationSource });
    expect(await allowedValues('notifications', 'kind')).toEqual([...NOTIFICATION_KINDS].sort());
  });
});
