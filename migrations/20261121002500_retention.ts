import type { Knex } from 'knex';

/** Per-subnet retention of living-room messages (null: kept for as long as the service runs). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subnets', (t) => {
    t.integer('chat_retention_days').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('subnets', (t) => t.dropColumn('chat_retention_days'));
}
