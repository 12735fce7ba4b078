import type { Knex } from 'knex';

/**
 * The audit viewer's "target" filter (/admin/audit?target=… and its CSV) finds the rows about one
 * thing or person: `target_id = ?`, or the target ids of a username (the account, their messages,
 * their care-team conversation). Without an index each look-up read the whole log, which only grows
 * (append-only, never pruned); with it PostgreSQL reads just those rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX audit_log_target_id_idx ON audit_log (target_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX audit_log_target_id_idx');
}
