import type { Knex } from 'knex';

/** One-time invitation keys. Only a SHA-256 of the code is stored; the code is shown once. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invitation_keys', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('code_hash', 64).notNullable().unique();
    t.string('code_hint', 4).notNullable(); // last four characters, to tell keys apart in lists
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.uuid('cohort_id').notNullable();
    t.string('role', 20).notNullable();
    t.string('private_reference', 200).nullable();
    t.uuid('issued_by').notNullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.uuid('revoked_by').nullable().references('users.id');
    t.timestamp('redeemed_at', { useTz: true }).nullable();
    t.uuid('redeemed_by').nullable().references('users.id');
    t.foreign(['cohort_id', 'subnet_id']).references(['id', 'subnet_id']).inTable('cohorts');
    t.index(['subnet_id', 'created_at']);
  });
  await knex.raw(`ALTER TABLE invitation_keys ADD CONSTRAINT invitation_keys_role_check
    CHECK (role IN ('patient','carer','professional'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitation_keys');
}
