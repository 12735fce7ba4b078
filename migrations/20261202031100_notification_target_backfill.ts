import type { Knex } from 'knex';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Each earlier notification's target, read from the link it was stored with (where it names one). */
const FROM_LINK: readonly (readonly [kind: string, prefix: string])[] = [
  ['thread', '/threads/'],
  ['care_conversation', '/care-team/conversations/'],
  ['room', '/rooms/'],
];

export async function up(knex: Knex): Promise<void> {
  for (const [kind, prefix] of FROM_LINK)
    await knex.raw(
      `UPDATE notifications SET target_kind = ?, target_id = substring(link from ?)
        WHERE target_kind IS NULL AND link ~ ?`,
      [kind, `^${prefix}(${UUID})`, `^${prefix}${UUID}`],
    );
}

/** Back to no target: the notifications then name their room only, as before. */
export async function down(knex: Knex): Promise<void> {
  await knex('notifications').update({ target_kind: null, target_id: null });
}
