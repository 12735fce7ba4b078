import type { Knex } from 'knex';
import { isCrisisPhrase } from '../src/moderation/watched-words.js';
import { CRISIS_PHRASES } from '../src/safety/crisis-phrases.js';

const CONTACT_HOLDS = ['email', 'phone', 'link'];

/**
 * Data: the safety baseline now applies to every subnet from code, so the rows that copied parts
 * of it into subnets are removed: holds on email, phone and links (every subnet had them), and
 * alerts on a crisis phrase or one of its variants (Eating Disorders' demo "end it all"...), which
 * would otherwise alert twice. Condition rules stay with their subnet: "no numbers", "purging
 * again", holds on a phrase, alerts on other phrases.
 */
export async function up(knex: Knex): Promise<void> {
  const alerts = await knex('watched_words').where({ kind: 'phrase', action: 'alert' }).select('id', 'pattern');
  const copies = alerts.filter((r) => isCrisisPhrase(r.pattern)).map((r) => r.id);
  if (copies.length) await knex('watched_words').whereIn('id', copies).delete();
  await knex('watched_words').where({ kind: 'builtin', action: 'hold' }).whereIn('pattern', CONTACT_HOLDS).delete();
}

/**
 * Leaves every subnet as safe as the baseline left it, in rows the earlier code reads: the
 * contact-detail holds (except those a subnet switched off) and the crisis phrases as alerts.
 */
export async function down(knex: Knex): Promise<void> {
  const subnets: { id: string }[] = await knex('subnets').select('id');
  const off = new Set(
    (await knex('baseline_holds_off').select('subnet_id', 'detector')).map((r) => `${r.subnet_id}/${r.detector}`),
  );
  const rows = subnets.flatMap((s) => [
    ...CONTACT_HOLDS.filter((d) => !off.has(`${s.id}/${d}`)).map((pattern) => ({
      subnet_id: s.id,
      kind: 'builtin',
      pattern,
      action: 'hold',
    })),
    ...CRISIS_PHRASES.map((p) => ({ subnet_id: s.id, kind: 'phrase', pattern: p.phrase, action: 'alert' })),
  ]);
  if (rows.length) await knex('watched_words').insert(rows).onConflict().ignore();
}
