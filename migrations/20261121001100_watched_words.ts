import type { Knex } from 'knex';

/**
 * Watched words of a subnet (room_id null) or of one room, each with an action: alert (deliver,
 * tell staff, support the sender) or hold (wait for a moderator). kind 'phrase' matches words;
 * kind 'builtin' names a detector in code: email, phone, link, numbers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('watched_words', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.uuid('room_id').nullable().references('rooms.id').onDelete('CASCADE');
    t.string('kind', 10).notNullable();
    t.string('pattern', 100).notNullable();
    t.string('action', 10).notNullable();
    t.uuid('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['subnet_id']);
  });
  await knex.raw(
    `ALTER TABLE watched_words ADD CONSTRAINT watched_words_kind_check CHECK (kind IN ('phrase','builtin'))`,
  );
  await knex.raw(
    `ALTER TABLE watched_words ADD CONSTRAINT watched_words_action_check CHECK (action IN ('alert','hold'))`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX watched_words_unique_idx ON watched_words (subnet_id, coalesce(room_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, lower(pattern))`,
  );
  await knex.schema.createTable('alerts', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.bigInteger('message_id').notNullable().references('messages.id').onDelete('CASCADE');
    t.string('matched', 100).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('acknowledged_by').nullable().references('users.id');
    t.timestamp('acknowledged_at', { useTz: true }).nullable();
    t.index(['subnet_id', 'acknowledged_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('alerts');
  await knex.schema.dropTable('watched_words');
}
