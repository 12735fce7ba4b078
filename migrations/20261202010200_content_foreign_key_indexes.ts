import type { Knex } from 'knex';

/**
 * Foreign keys to rooms, messages, threads and replies that had no index. Retention deletes old
 * messages and erasure removes a member's posts: each delete makes PostgreSQL find the alerts,
 * notifications and watched words that point at the row, a sequential scan without these.
 */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['alerts', 'message_id'],
  ['alerts', 'thread_id'],
  ['alerts', 'reply_id'],
  ['notifications', 'room_id'],
  ['watched_words', 'room_id'],
];

const name = (table: string, column: string) => `${table}_${column}_fk_idx`;

export async function up(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS)
    await knex.raw('CREATE INDEX ?? ON ?? (??)', [name(table, column), table, column]);
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, column] of COLUMNS) await knex.raw('DROP INDEX ??', [name(table, column)]);
}
