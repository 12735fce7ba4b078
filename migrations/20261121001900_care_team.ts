import type { Knex } from 'knex';

/**
 * Care-team conversations: one per member and subnet, read and answered by the subnet's
 * clinicians (and its peer moderators only where the subnet allows it).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subnets', (t) => {
    t.boolean('care_team_includes_peer_moderators').notNullable().defaultTo(false);
  });
  await knex.schema.createTable('care_conversations', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.uuid('member_id').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_message_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** When the member's oldest unanswered message was written; null when staff have answered. */
    t.timestamp('awaiting_since', { useTz: true }).nullable();
    t.unique(['subnet_id', 'member_id']);
    t.index(['subnet_id', 'awaiting_since']);
  });
  await knex.schema.createTable('care_messages', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('conversation_id').notNullable().references('care_conversations.id').onDelete('CASCADE');
    t.uuid('author_id').notNullable().references('users.id');
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['conversation_id', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('care_messages');
  await knex.schema.dropTable('care_conversations');
  await knex.schema.alterTable('subnets', (t) => t.dropColumn('care_team_includes_peer_moderators'));
}
