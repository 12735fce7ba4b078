import type { Knex } from 'knex';

/**
 * A library room's page lists its items drafts first, then the latest changed, 20 at a time
 * (src/library/library.repo.ts `pageOf`). With only (room_id, status) PostgreSQL read every item of
 * the room (each row wide with its text) and sorted them on every view; with this index it reads
 * the page in order and stops, as the noticeboard's threads_board_order_idx does.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX library_items_page_order_idx ON library_items (room_id, status, updated_at DESC, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX library_items_page_order_idx');
}
