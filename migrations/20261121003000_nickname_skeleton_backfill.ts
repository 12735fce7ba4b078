import type { Knex } from 'knex';
import { nicknameSkeleton } from '../src/auth/nickname-skeleton.js';

/**
 * Fills users.nickname_skeleton for existing accounts (erased ones keep none: they block nobody).
 * Computed in the app's own function, so that stored and new skeletons are made the same way.
 *
 * Existing nicknames may already look alike (`Sam` and `Sàm`): the oldest account keeps the
 * skeleton and the later ones get none. Nobody is renamed (a public name changed without a word
 * would confuse the person and their peers), and nothing new can take that look-alike, because
 * the oldest account's skeleton still blocks it. Staff can find such accounts with
 * `nickname_skeleton IS NULL AND status <> 'erased'`.
 */
export async function up(knex: Knex): Promise<void> {
  const rows: { id: string; nickname: string }[] = await knex('users')
    .whereNot('status', 'erased')
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .select('id', 'nickname');
  const holders = new Map<string, string>(); // skeleton -> the oldest account with it
  for (const r of rows) {
    const skeleton = nicknameSkeleton(r.nickname);
    if (!holders.has(skeleton)) holders.set(skeleton, r.id);
  }
  if (holders.size === 0) return;
  const values = [...holders].map(([skeleton, id]) => ({ id, skeleton }));
  // One statement for every account, however many there are.
  await knex.raw(
    `UPDATE users SET nickname_skeleton = v.skeleton
       FROM jsonb_to_recordset(?::jsonb) AS v(id uuid, skeleton text)
      WHERE users.id = v.id`,
    [JSON.stringify(values)],
  );
}

/** The skeletons are derived from the nicknames: dropping them loses nothing. */
export async function down(knex: Knex): Promise<void> {
  await knex('users').update({ nickname_skeleton: null });
}
