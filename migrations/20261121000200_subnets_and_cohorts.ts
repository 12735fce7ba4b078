import type { Knex } from 'knex';

/** Subnets (one clinical service each) and their cohorts. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('subnets', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('name', 120).notNullable();
    t.string('slug', 60).notNullable().unique();
    t.text('description').notNullable().defaultTo('');
    t.text('crisis_contacts').notNullable().defaultTo('');
    t.string('service_hours', 200).notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('cohorts', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('name', 120).notNullable();
    t.string('slug', 60).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['subnet_id', 'slug']);
    // Lets other tables prove that a cohort belongs to the subnet they name.
    t.unique(['id', 'subnet_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('cohorts');
  await knex.schema.dropTable('subnets');
}
