import type { Knex } from 'knex';

/**
 * Noticeboard threads and replies, and the per-room "pre-moderated" setting. Removed and declined
 * posts are kept, with who and why, for audit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rooms', (t) => {
    t.boolean('pre_moderated').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('threads', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('author_id').notNullable().references('users.id');
    t.string('title', 200).notNullable();
    t.text('body').notNullable();
    t.string('status', 12).notNullable().defaultTo('visible');
    t.boolean('pinned').notNullable().defaultTo(false);
    t.boolean('locked').notNullable().defaultTo(false);
    t.boolean('answered_by_staff').notNullable().defaultTo(false);
    t.integer('reply_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_activity_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('moderated_by').nullable().references('users.id');
    t.timestamp('moderated_at', { useTz: true }).nullable();
    t.string('moderation_reason', 500).nullable();
    t.index(['room_id', 'status', 'pinned', 'last_activity_at']);
  });
  await knex.schema.createTable('replies', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('thread_id').notNullable().references('threads.id').onDelete('CASCADE');
    t.uuid('author_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.string('status', 12).notNullable().defaultTo('visible');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('moderated_by').nullable().references('users.id');
    t.timestamp('moderated_at', { useTz: true }).nullable();
    t.string('moderation_reason', 500).nullable();
    t.index(['thread_id', 'created_at']);
  });
  for (const table of ['threads', 'replies']) {
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_status_check CHECK (status IN ('visible','held','removed','declined'))`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('replies');
  await knex.schema.dropTable('threads');
  await knex.schema.alterTable('rooms', (t) => t.dropColumn('pre_moderated'));
}
