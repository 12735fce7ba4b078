import type { Knex } from 'knex';

/** Rooms of a subnet and their audience: the cohorts (of that same subnet) whose members may enter. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rooms', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('kind', 20).notNullable();
    t.string('name', 120).notNullable();
    t.text('description').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['id', 'subnet_id']);
    t.index(['subnet_id']);
  });
  await knex.raw(`ALTER TABLE rooms ADD CONSTRAINT rooms_kind_check
    CHECK (kind IN ('living_room','library','television','noticeboard'))`);
  await knex.schema.createTable('room_audiences', (t) => {
    t.uuid('room_id').notNullable();
    t.uuid('subnet_id').notNullable();
    t.uuid('cohort_id').notNullable();
    t.primary(['room_id', 'cohort_id']);
    t.foreign(['room_id', 'subnet_id']).references(['id', 'subnet_id']).inTable('rooms').onDelete('CASCADE');
    t.foreign(['cohort_id', 'subnet_id']).references(['id', 'subnet_id']).inTable('cohorts').onDelete('CASCADE');
    t.index(['cohort_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('room_audiences');
  await knex.schema.dropTable('rooms');
}
