import type { Knex } from 'knex';

/**
 * The chat flood limit counts an author's messages in the last few seconds, inside the very
 * statement that writes the message: this index answers that count.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX messages_author_created_idx ON messages (author_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX messages_author_created_idx');
}
