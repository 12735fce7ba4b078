import type { Knex } from 'knex';

/**
 * The safety baseline lives in code (src/moderation/watched-words.ts): every subnet alerts on the crisis
 * phrases and holds contact details. A subnet's staff may switch one of the baseline's HOLDS off,
 * with a reason; this table records which, why, by whom and when (the audit log keeps the history).
 * Switching it back on deletes the row. The baseline's alerts have no row: they cannot be switched off.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('baseline_holds_off', (t) => {
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.string('detector', 20).notNullable();
    t.string('reason', 500).notNullable();
    t.uuid('switched_off_by').notNullable().references('users.id');
    t.timestamp('switched_off_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['subnet_id', 'detector']);
    t.index(['switched_off_by']);
  });
  await knex.raw(
    `ALTER TABLE baseline_holds_off ADD CONSTRAINT baseline_holds_off_reason_check CHECK (length(btrim(reason)) > 0)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('baseline_holds_off');
}
