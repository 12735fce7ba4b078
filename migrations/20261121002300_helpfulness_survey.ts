import type { Knex } from 'knex';

/**
 * Reference data: the helpfulness survey SHaRON ran, offered to every member 4 weeks after joining
 * and then every 3 months. Idempotent (by slug).
 */
export async function up(knex: Knex): Promise<void> {
  const [q] = await knex('questionnaires')
    .insert({ slug: 'helpfulness', title: 'Has this network helped?', first_after_days: 28, repeat_every_days: 91 })
    .onConflict('slug')
    .ignore()
    .returning('id');
  if (!q) return;
  await knex('questions').insert([
    {
      questionnaire_id: q.id,
      position: 1,
      kind: 'likert',
      text: 'This network has helped my recovery',
      required: true,
    },
    {
      questionnaire_id: q.id,
      position: 2,
      kind: 'free_text',
      text: 'Anything you would like to tell us (optional)',
      required: false,
    },
  ]);
}

export async function down(knex: Knex): Promise<void> {
  await knex('questionnaires').where({ slug: 'helpfulness' }).delete();
}
