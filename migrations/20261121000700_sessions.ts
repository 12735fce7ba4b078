import type { Knex } from 'knex';

/** The express-session store table (connect-pg-simple's schema) plus an index to find a user's sessions. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE session (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamp(6) NOT NULL
    );
    CREATE INDEX session_expire_idx ON session (expire);
    CREATE INDEX session_user_idx ON session ((sess -> 'passport' ->> 'user'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session');
}
