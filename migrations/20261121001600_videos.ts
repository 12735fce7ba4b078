import type { Knex } from 'knex';

/** Television videos: a video file, an optional poster and WebVTT captions, and a transcript. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('videos', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.string('title', 200).notNullable();
    t.string('description', 2000).notNullable().defaultTo('');
    t.text('transcript').notNullable().defaultTo('');
    t.uuid('video_file_id').notNullable().references('files.id');
    t.uuid('poster_file_id').nullable().references('files.id');
    t.uuid('captions_file_id').nullable().references('files.id');
    t.string('status', 12).notNullable().defaultTo('draft');
    t.timestamp('published_at', { useTz: true }).nullable();
    t.uuid('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['room_id', 'status']);
  });
  await knex.raw(`ALTER TABLE videos ADD CONSTRAINT videos_status_check CHECK (status IN ('draft','published'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('videos');
}
