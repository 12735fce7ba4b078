import type { Knex } from 'knex';

/** Reports and watched-word alerts can point at a chat message, a thread or a reply (exactly one). */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['reports', 'alerts']) {
    await knex.schema.alterTable(table, (t) => {
      t.bigInteger('message_id').nullable().alter();
      t.uuid('thread_id').nullable().references('threads.id').onDelete('CASCADE');
      t.uuid('reply_id').nullable().references('replies.id').onDelete('CASCADE');
    });
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_one_target_check CHECK (num_nonnulls(message_id, thread_id, reply_id) = 1)`,
    );
  }
  await knex.raw(
    'CREATE UNIQUE INDEX reports_thread_reporter_idx ON reports (thread_id, reporter_id) WHERE thread_id IS NOT NULL',
  );
  await knex.raw(
    'CREATE UNIQUE INDEX reports_reply_reporter_idx ON reports (reply_id, reporter_id) WHERE reply_id IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS reports_thread_reporter_idx');
  await knex.raw('DROP INDEX IF EXISTS reports_reply_reporter_idx');
  for (const table of ['reports', 'alerts']) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_one_target_check`);
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('thread_id');
      t.dropColumn('reply_id');
    });
  }
}
