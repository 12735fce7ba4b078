import type { Knex } from 'knex';

/** The table @socket.io/postgres-adapter uses for payloads over NOTIFY's 8000-byte limit. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE TABLE socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT now(), payload bytea)`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('socket_io_attachments');
}
