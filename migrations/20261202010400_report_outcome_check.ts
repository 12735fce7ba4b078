import type { Knex } from 'knex';

/**
 * A closed report's outcome is one of REPORT_OUTCOMES (src/moderation); an open report has none (NULL passes).
 * test/migrations/closed-vocabularies.test.ts holds this list to the TypeScript constant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE reports ADD CONSTRAINT reports_outcome_check CHECK (outcome IN ('dismissed','removed','muted','suspended'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reports DROP CONSTRAINT reports_outcome_check');
}
