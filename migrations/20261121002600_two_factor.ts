import type { Knex } from 'knex';

/**
 * Two-factor sign-in (TOTP): the secret, when it was turned on, the last time step used (a code
 * works once), and single-use recovery codes stored as hashes.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('totp_secret', 64).nullable();
    t.timestamp('totp_enabled_at', { useTz: true }).nullable();
    t.bigInteger('totp_last_step').nullable();
  });
  await knex.schema.createTable('recovery_codes', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('recovery_codes');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('totp_secret');
    t.dropColumn('totp_enabled_at');
    t.dropColumn('totp_last_step');
  });
}
