import type { Knex } from 'knex';

/**
 * The organisation's identity of a staff account once linked: the provider (issuer) and its
 * subject. After the first sign-in these decide who signs in, never the email.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('oidc_issuer', 500).nullable();
    t.string('oidc_subject', 255).nullable();
    t.timestamp('oidc_linked_at', { useTz: true }).nullable();
    t.unique(['oidc_issuer', 'oidc_subject'], { indexName: 'users_oidc_identity_unique' });
  });
  await knex.raw(
    'ALTER TABLE users ADD CONSTRAINT users_oidc_identity_whole CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL))',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropUnique(['oidc_issuer', 'oidc_subject'], 'users_oidc_identity_unique');
    t.dropChecks(['users_oidc_identity_whole']);
    t.dropColumns('oidc_issuer', 'oidc_subject', 'oidc_linked_at');
  });
}
