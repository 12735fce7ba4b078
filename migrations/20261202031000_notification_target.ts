import type { Knex } from 'knex';

/**
 * What a notification is about, as a reference (kind and id), never as text: the page builds its
 * words from the current names at read time, so a renamed room shows its new name and a removed
 * thread says it is no longer available. Polymorphic, so no foreign key: a missing target is "gone".
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.string('target_kind', 20).nullable();
    t.string('target_id', 40).nullable();
  });
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_target_kind_check
      CHECK (target_kind IN ('room','thread','reply','care_conversation'))`,
  );
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_target_pair_check
      CHECK ((target_kind IS NULL) = (target_id IS NULL))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('notifications', (t) => {
    t.dropColumn('target_id');
    t.dropColumn('target_kind');
  });
}
