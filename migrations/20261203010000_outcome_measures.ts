import type { Knex } from 'knex';

/**
 * Validated outcome measures (src/measures/). PHQ-9 and GAD-7 live in code; a trust's further
 * instruments are stored from their definition files (`measure_instruments`) and made available
 * per subnet by an admin (`subnet_instruments`). A clinician chooses which a subnet uses and how
 * often (`subnet_measures`). A member's answers (`measure_responses`: item scores, total, band) or
 * declines are one row per occurrence; "later" is a snooze. An answer that must reach the care team
 * at once (PHQ-9 item 9) is an alert like a watched word's, pointing at its response.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('measure_instruments', (t) => {
    t.string('key', 32).primary();
    t.jsonb('definition').notNullable();
    t.uuid('added_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('added_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['added_by']);
  });
  await knex.schema.createTable('subnet_instruments', (t) => {
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('instrument_key', 32).notNullable().references('measure_instruments.key').onDelete('CASCADE');
    t.uuid('enabled_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('enabled_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['subnet_id', 'instrument_key']);
    t.index(['enabled_by']);
  });
  await knex.schema.createTable('subnet_measures', (t) => {
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('instrument_key', 32).notNullable();
    t.integer('first_after_days').notNullable().defaultTo(0);
    t.integer('repeat_every_days').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.uuid('updated_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['subnet_id', 'instrument_key']);
    t.index(['updated_by']);
  });
  await knex.raw(
    `ALTER TABLE subnet_measures ADD CONSTRAINT subnet_measures_schedule_check
       CHECK (first_after_days BETWEEN 0 AND 365 AND (repeat_every_days IS NULL OR repeat_every_days BETWEEN 7 AND 365))`,
  );
  await knex.schema.createTable('measure_responses', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('instrument_key', 32).notNullable();
    t.string('instrument_version', 40).notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.string('status', 10).notNullable();
    t.jsonb('item_scores').nullable();
    t.smallint('total').nullable();
    t.string('band', 80).nullable();
    t.timestamp('answered_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'subnet_id', 'instrument_key', 'due_at']);
    t.index(['subnet_id', 'instrument_key', 'answered_at']);
  });
  await knex.raw(
    `ALTER TABLE measure_responses ADD CONSTRAINT measure_responses_status_check
       CHECK ((status = 'answered' AND item_scores IS NOT NULL AND total IS NOT NULL AND band IS NOT NULL)
           OR (status = 'declined' AND item_scores IS NULL AND total IS NULL AND band IS NULL))`,
  );
  await knex.schema.createTable('measure_snoozes', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('instrument_key', 32).notNullable();
    t.timestamp('until', { useTz: true }).notNullable();
    t.primary(['user_id', 'subnet_id', 'instrument_key']);
  });
  await knex.schema.alterTable('alerts', (t) => {
    t.bigInteger('measure_response_id').nullable().references('measure_responses.id').onDelete('CASCADE');
    t.index(['measure_response_id']);
  });
  await knex.raw('ALTER TABLE alerts DROP CONSTRAINT alerts_one_target_check');
  await knex.raw(
    'ALTER TABLE alerts ADD CONSTRAINT alerts_one_target_check CHECK (num_nonnulls(message_id, thread_id, reply_id, measure_response_id) = 1)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex('alerts').whereNotNull('measure_response_id').delete();
  await knex.raw('ALTER TABLE alerts DROP CONSTRAINT alerts_one_target_check');
  await knex.raw(
    'ALTER TABLE alerts ADD CONSTRAINT alerts_one_target_check CHECK (num_nonnulls(message_id, thread_id, reply_id) = 1)',
  );
  await knex.schema.alterTable('alerts', (t) => t.dropColumn('measure_response_id'));
  for (const table of [
    'measure_snoozes',
    'measure_responses',
    'subnet_measures',
    'subnet_instruments',
    'measure_instruments',
  ])
    await knex.schema.dropTable(table);
}
