import type { Knex } from 'knex';

/** Care events clinicians record for their members (never shown to members), for outcome evaluation. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('care_events', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    t.date('occurred_on').notNullable();
    t.uuid('recorded_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['subnet_id', 'occurred_on']);
    t.index(['user_id', 'occurred_on']);
  });
  await knex.raw(
    `ALTER TABLE care_events ADD CONSTRAINT care_events_kind_check CHECK (kind IN ('admission','discharge','relapse','service_discharge'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('care_events');
}
