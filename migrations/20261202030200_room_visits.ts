import type { Knex } from 'knex';

/**
 * When each person last looked at each room (issue 15: "new since your last visit" in the lobby).
 * One row per (person, room), written by one upsert when they open the room or leave it live.
 * `last_message_id` is the newest living-room message then: new messages are counted from it along
 * the messages (room_id, id) index, where a time would need a scan of the room's history.
 * Both foreign keys are indexed: the primary key leads with user_id, and room_id has its own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('room_visits', (t) => {
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('last_message_id').nullable();
    t.primary(['user_id', 'room_id']);
    t.index(['room_id'], 'room_visits_room_id_fk_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('room_visits');
}
