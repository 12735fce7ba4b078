import type { Knex } from 'knex';

/** People who can sign in. Usernames and nicknames are unique regardless of case. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('username', 64).notNullable();
    t.string('nickname', 40).notNullable();
    t.string('display_name', 80).nullable(); // staff only: shown beside the badge
    t.string('role', 20).notNullable();
    t.string('status', 20).notNullable().defaultTo('active');
    t.text('password_hash').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).nullable();
    t.timestamp('status_changed_at', { useTz: true }).nullable();
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin','clinician','peer_moderator','patient','carer','professional'))`);
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_status_check
    CHECK (status IN ('active','suspended','erased'))`);
  await knex.raw('CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username))');
  await knex.raw('CREATE UNIQUE INDEX users_nickname_lower_idx ON users (lower(nickname))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
