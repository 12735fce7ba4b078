import type { Knex } from 'knex';

/** Uploaded files: stored under random names in UPLOAD_DIR, typed by their content, never executed. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('files', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.string('storage_name', 64).notNullable().unique();
    t.string('original_name', 200).notNullable();
    t.string('mime', 80).notNullable();
    t.bigInteger('size').notNullable();
    t.uuid('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('files');
}
