import type { Knex } from 'knex';

/** The audit log. Append-only: a trigger refuses UPDATE and DELETE, whoever asks. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.uuid('actor_id').nullable().references('users.id');
    t.string('action', 60).notNullable();
    t.string('target_type', 40).nullable();
    t.string('target_id', 80).nullable();
    t.string('outcome', 20).notNullable().defaultTo('ok');
    t.string('reason', 60).nullable();
    t.string('ip', 64).nullable();
    t.jsonb('details').nullable();
    t.index(['at']);
    t.index(['actor_id', 'at']);
    t.index(['action', 'at']);
  });
  await knex.raw(`
    CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only';
    END $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log');
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_refuse_change()');
  await knex.schema.dropTable('audit_log');
}
