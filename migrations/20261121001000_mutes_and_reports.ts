import type { Knex } from 'knex';

/** Mutes (a member silenced in one room until a time) and reports of messages. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mutes', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id');
    t.uuid('muted_by').notNullable().references('users.id');
    t.string('reason', 500).nullable();
    t.timestamp('until', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['room_id', 'user_id', 'until']);
  });
  await knex.schema.createTable('reports', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('message_id').notNullable().references('messages.id').onDelete('CASCADE');
    t.uuid('reporter_id').notNullable().references('users.id');
    t.string('reason', 500).notNullable();
    t.string('status', 12).notNullable().defaultTo('open');
    t.uuid('handled_by').nullable().references('users.id');
    t.timestamp('handled_at', { useTz: true }).nullable();
    t.string('outcome', 20).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['message_id', 'reporter_id']);
    t.index(['status', 'created_at']);
  });
  await knex.raw(`ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('open','closed'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reports');
  await knex.schema.dropTable('mutes');
}
