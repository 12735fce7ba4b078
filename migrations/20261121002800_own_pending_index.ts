import type { Knex } from 'knex';

/**
 * A member's own held or declined messages in a room (shown to them on the room's page, every
 * time they open it): a small partial index, so that finding none is a single index probe rather
 * than a walk through the room's history.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX messages_own_pending_idx ON messages (author_id, room_id, id) WHERE status IN ('held', 'declined')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX messages_own_pending_idx');
}
