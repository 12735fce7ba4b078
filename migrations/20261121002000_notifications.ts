import type { Knex } from 'knex';

/**
 * In-app notifications. They carry kinds and ids, never message text: the page says what happened
 * and links to it; the policy decides again when it is shown and when the link is followed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('kind', 30).notNullable();
    t.uuid('room_id').nullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('subnet_id').nullable().references('subnets.id').onDelete('CASCADE');
    t.string('link', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('read_at', { useTz: true }).nullable();
    t.index(['user_id', 'read_at', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notifications');
}
