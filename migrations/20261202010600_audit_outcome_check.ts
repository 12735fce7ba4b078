import type { Knex } from 'knex';

/**
 * An audit entry's outcome is one of AUDIT_OUTCOMES (src/audit): reviewers filter on it.
 * test/migrations/closed-vocabularies.test.ts holds this list to the TypeScript constant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('ok','denied','failed','throttled'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check');
}
