import type { Knex } from 'knex';

/**
 * Living-room messages. A message is written before it is broadcast or acknowledged; the
 * (author, client id) pair makes a client's retry idempotent. Removed and declined messages are
 * kept, with who and why, for audit.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.uuid('author_id').notNullable().references('users.id');
    t.uuid('client_id').notNullable();
    t.text('body').notNullable();
    t.string('status', 12).notNullable().defaultTo('visible');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.string('held_reason', 60).nullable();
    t.uuid('moderated_by').nullable().references('users.id');
    t.timestamp('moderated_at', { useTz: true }).nullable();
    t.string('moderation_reason', 500).nullable();
    t.unique(['author_id', 'client_id']);
    t.index(['room_id', 'id']);
  });
  await knex.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('visible','held','removed','declined'))`,
  );
  await knex.raw(
    'ALTER TABLE messages ADD CONSTRAINT messages_body_length_check CHECK (char_length(body) BETWEEN 1 AND 20000)',
  );
  await knex.raw(`CREATE INDEX messages_held_idx ON messages (room_id, id) WHERE status = 'held'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
}
