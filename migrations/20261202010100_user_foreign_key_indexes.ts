import type { Knex } from 'knex';

/**
 * Every foreign key to users(id) gets an index. Erasure and export find a person's rows through
 * these columns, and deleting or checking a user row makes PostgreSQL look up each referencing
 * table: without an index each of those is a sequential scan. (test/migrations/foreign-key-indexes.test.ts
 * keeps it so for every new foreign key.)
 */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['alerts', 'acknowledged_by'],
  ['care_conversations', 'member_id'],
  ['care_events', 'recorded_by'],
  ['care_messages', 'author_id'],
  ['files', 'created_by'],
  ['invitation_keys', 'issued_by'],
  ['invitation_keys', 'redeemed_by'],
  ['invitation_keys', 'revoked_by'],
  ['library_items', 'created_by'],
  ['library_items', 'reviewed_by'],
  ['messages', 'moderated_by'],
  ['mutes', 'user_id'],
  ['mutes', 'muted_by'],
  ['questionnaires', 'created_by'],
  ['replies', 'author_id'],
  ['replies', 'moderated_by'],
  ['reports', 'reporter_id'],
  ['reports', 'handled_by'],
  ['survey_responses', 'user_id'],
  ['survey_snoozes', 'user_id'],
  ['threads', 'author_id'],
  ['threads', 'moderated_by'],
  ['videos', 'created_by'],
  ['watched_words', 'created_by'],
];

const name = (table: string, column: string) => `${table}_${column}_fk_idx`;

export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS)
    await knex.raw('CREATE INDEX ?? ON ?? (??)', [name(table, column), table, column]);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) await knex.raw('DROP INDEX ??', [name(table, column)]);
}
