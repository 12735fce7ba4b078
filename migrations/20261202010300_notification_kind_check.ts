import type { Knex } from 'knex';

/**
 * A notification's kind is one of NOTIFICATION_KINDS (src/notifications): the page turns it into text, so an unknown kind would show nothing.
 * test/migrations/closed-vocabularies.test.ts holds this list to the TypeScript constant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('thread_reply','care_reply','report_outcome','post_approved','post_declined','alert_escalated'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check');
}
