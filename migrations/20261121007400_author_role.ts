import type { Knex } from 'knex';

const TABLES = ['messages', 'threads', 'replies'] as const;

/**
 * The author's role when they wrote a message, thread or reply: the staff badge beside it is
 * drawn from this, not from the author's role today (a member promoted to peer moderator keeps
 * no badge on what they wrote as a member). Written by the app with every new row; existing rows
 * are filled by the next migration. Nullable so that rows written by other tools still insert;
 * readers fall back to the current role for those.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.string('author_role', 20).nullable();
    });
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_author_role_check
      CHECK (author_role IN ('admin','clinician','peer_moderator','patient','carer','professional'))`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn('author_role');
    });
  }
}
