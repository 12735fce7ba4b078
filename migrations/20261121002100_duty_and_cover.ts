import type { Knex } from 'knex';

/**
 * The out-of-hours safety net: staff duty sessions (with the handover note that ends a peer
 * moderator's duty), structured service hours per subnet, each room's cover rule, and when an
 * unacknowledged alert was escalated.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('duty_sessions', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('ended_at', { useTz: true }).nullable();
    t.text('handover_note').nullable();
    t.index(['subnet_id', 'ended_at']);
    t.index(['user_id', 'ended_at']);
  });
  await knex.raw(
    'CREATE UNIQUE INDEX duty_sessions_open_idx ON duty_sessions (user_id, subnet_id) WHERE ended_at IS NULL',
  );
  await knex.schema.alterTable('subnets', (t) => {
    t.string('hours_start', 5).notNullable().defaultTo('09:00');
    t.string('hours_end', 5).notNullable().defaultTo('17:00');
    // ISO weekdays the service is open (1 = Monday ... 7 = Sunday).
    t.specificType('hours_days', 'smallint[]').notNullable().defaultTo(knex.raw("'{1,2,3,4,5}'"));
  });
  await knex.schema.alterTable('rooms', (t) => {
    t.string('cover', 14).notNullable().defaultTo('open');
  });
  await knex.raw(
    `ALTER TABLE rooms ADD CONSTRAINT rooms_cover_check CHECK (cover IN ('open','pre_moderated','read_only'))`,
  );
  await knex.schema.alterTable('alerts', (t) => {
    t.timestamp('escalated_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('alerts', (t) => t.dropColumn('escalated_at'));
  await knex.raw('ALTER TABLE rooms DROP CONSTRAINT rooms_cover_check');
  await knex.schema.alterTable('rooms', (t) => t.dropColumn('cover'));
  await knex.schema.alterTable('subnets', (t) => {
    t.dropColumn('hours_start');
    t.dropColumn('hours_end');
    t.dropColumn('hours_days');
  });
  await knex.schema.dropTable('duty_sessions');
}
