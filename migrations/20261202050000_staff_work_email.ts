import type { Knex } from 'knex';

/**
 * A staff member's work email, entered by an admin: organisation sign-in (OpenID Connect) links a
 * staff account to the provider's person by it, once. Unique without regard to case; members have none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('work_email', 254).nullable();
  });
  await knex.raw(
    'CREATE UNIQUE INDEX users_work_email_unique ON users (lower(work_email)) WHERE work_email IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX users_work_email_unique');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('work_email');
  });
}
