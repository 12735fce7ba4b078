import type { Knex } from 'knex';

/**
 * Library items: Markdown bodies (rendered and sanitised when shown), accreditation, draft or
 * published, an optional PDF, and a weighted full-text search vector.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('library_items', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('room_id').notNullable().references('rooms.id').onDelete('CASCADE');
    t.string('title', 200).notNullable();
    t.string('summary', 1000).notNullable().defaultTo('');
    t.text('body_md').notNullable().defaultTo('');
    t.text('body_text').notNullable().defaultTo('');
    t.string('source', 120).notNullable();
    t.uuid('reviewed_by').nullable().references('users.id');
    t.date('reviewed_on').notNullable();
    t.date('next_review_on').notNullable();
    t.string('status', 12).notNullable().defaultTo('draft');
    t.timestamp('published_at', { useTz: true }).nullable();
    t.uuid('attachment_file_id').nullable().references('files.id');
    t.uuid('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['room_id', 'status']);
  });
  await knex.raw(
    `ALTER TABLE library_items ADD CONSTRAINT library_items_status_check CHECK (status IN ('draft','published'))`,
  );
  await knex.raw(`
    ALTER TABLE library_items ADD COLUMN search tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(body_text, '')), 'C')
    ) STORED;
    CREATE INDEX library_items_search_idx ON library_items USING gin (search);
    CREATE INDEX library_items_review_idx ON library_items (next_review_on);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('library_items');
}
