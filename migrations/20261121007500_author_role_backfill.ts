import type { Knex } from 'knex';

/**
 * Fills author_role on existing messages, threads and replies from each author's role now: the
 * best record there is of the role they wrote with (roles changed before this release were not
 * recorded). From here on the app writes the role with every new row.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['messages', 'threads', 'replies']) {
    await knex.raw(
      `UPDATE ${table} x SET author_role = u.role FROM users u WHERE u.id = x.author_id AND x.author_role IS NULL`,
    );
  }
}

/** The column stays (its schema migration drops it); its values are emptied. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['messages', 'threads', 'replies']) await knex(table).update({ author_role: null });
}
