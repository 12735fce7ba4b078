import type { Knex } from 'knex';

/** Data: every existing subnet holds contact details (email, phone, link) out of the box. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO watched_words (subnet_id, kind, pattern, action)
    SELECT s.id, 'builtin', p.pattern, 'hold' FROM subnets s CROSS JOIN (VALUES ('email'), ('phone'), ('link')) AS p(pattern)
    ON CONFLICT DO NOTHING`);
}

export async function down(): Promise<void> {
  // Irreversible on purpose: the rows may since have been edited by people.
}
