import type { Knex } from 'knex';

/**
 * messages.held_reason names the rule that held a message, as `<kind>:<pattern>` (`builtin:phone`,
 * `phrase:meet up`) or `cover`, so that moderators see which rule held it even after the rule is
 * changed or deleted. A pattern is up to 100 characters: the column grows from 60 to 120 (a
 * longer varchar limit is a catalogue change in PostgreSQL, not a rewrite of the table).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages ALTER COLUMN held_reason TYPE varchar(120)');
}

/** Reasons longer than 60 characters are cut to fit the old width. */
export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages ALTER COLUMN held_reason TYPE varchar(60) USING left(held_reason, 60)');
}
