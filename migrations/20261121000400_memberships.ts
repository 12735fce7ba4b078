import type { Knex } from 'knex';

/**
 * A person's place in a subnet: staff have no cohort, members exactly one of that subnet's cohorts.
 * private_reference is the clinician's note of who the person is (a name or record number).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('memberships', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.uuid('cohort_id').nullable();
    t.string('private_reference', 200).nullable();
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ends_at', { useTz: true }).nullable();
    t.unique(['user_id', 'subnet_id']);
    t.index(['subnet_id', 'cohort_id']);
    t.foreign(['cohort_id', 'subnet_id']).references(['id', 'subnet_id']).inTable('cohorts');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('memberships');
}
