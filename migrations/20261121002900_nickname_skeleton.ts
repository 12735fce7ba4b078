import type { Knex } from 'knex';

/**
 * Each nickname's look-alike skeleton (src/auth/nickname-skeleton.ts), so that `Wi11ow` cannot
 * join beside `Willow`. The unique index is what stops two people taking look-alikes at the same
 * instant; the sign-up forms check first only to explain kindly.
 *
 * Nullable, and NULLs never collide: an erased account holds none (its old nickname's look-alikes
 * are free again), and where existing nicknames already look alike the backfill
 * (20261121003000) leaves the later accounts without one. Every account the app writes gets one
 * (insertUser); rows written straight into the table (test fixtures) may not.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.text('nickname_skeleton').nullable();
  });
  await knex.raw('CREATE UNIQUE INDEX users_nickname_skeleton_idx ON users (nickname_skeleton)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => t.dropColumn('nickname_skeleton'));
}
