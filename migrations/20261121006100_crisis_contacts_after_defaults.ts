import type { Knex } from 'knex';

/**
 * A service's own crisis contacts are now shown after the UK numbers (999, NHS 111 option 2,
 * Samaritans 116 123), which every page shows first; before, they replaced them. A service whose
 * own text was exactly the old UK default sentence (the demo data and the crisis page's old
 * fallback) would now show every UK number twice, so that text is cleared: the UK numbers it held
 * are still shown, first, by src/safety/crisis-contacts.ts. Any other text is kept as written.
 */
const OLD_UK_DEFAULT =
  'If you need help now: call NHS 111 and choose option 2 for mental health crisis support. Call Samaritans free on 116 123, any time. In an emergency, call 999.';

export async function up(knex: Knex): Promise<void> {
  await knex('subnets').where({ crisis_contacts: OLD_UK_DEFAULT }).update({ crisis_contacts: '' });
}

/**
 * Irreversible on purpose: which empty texts held the old sentence is not recorded, and putting it
 * back is not needed, because the UK numbers it held are always shown anyway.
 */
export async function down(): Promise<void> {}
