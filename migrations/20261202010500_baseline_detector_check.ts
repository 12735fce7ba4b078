import type { Knex } from 'knex';

/**
 * A baseline hold switched off names one of BASELINE_HOLDS: a misspelt detector would switch nothing off while the page said it had.
 * test/migrations/closed-vocabularies.test.ts holds this list to the TypeScript constant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE baseline_holds_off ADD CONSTRAINT baseline_holds_off_detector_check CHECK (detector IN ('email','phone','link','handle'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE baseline_holds_off DROP CONSTRAINT baseline_holds_off_detector_check');
}
