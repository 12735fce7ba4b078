import type { Knex } from 'knex';

/**
 * Questionnaires (the built-in helpfulness survey, and a subnet's own), their questions, when they
 * are offered (days after joining, then every N days), and members' responses: answered or
 * declined for one occurrence, or put off until later.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('questionnaires', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('subnet_id').nullable().references('subnets.id').onDelete('CASCADE'); // null: every subnet
    t.string('slug', 60).nullable().unique(); // for built-in questionnaires
    t.string('title', 200).notNullable();
    t.integer('first_after_days').notNullable();
    t.integer('repeat_every_days').nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.uuid('created_by').nullable().references('users.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('questions', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('questionnaire_id').notNullable().references('questionnaires.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.string('kind', 14).notNullable();
    t.string('text', 500).notNullable();
    t.jsonb('options').nullable();
    t.boolean('required').notNullable().defaultTo(false);
    t.unique(['questionnaire_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE questions ADD CONSTRAINT questions_kind_check CHECK (kind IN ('likert','single_choice','free_text'))`,
  );
  await knex.schema.createTable('survey_responses', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('questionnaire_id').notNullable().references('questionnaires.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id');
    t.uuid('subnet_id').notNullable().references('subnets.id').onDelete('CASCADE');
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.string('status', 10).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['questionnaire_id', 'user_id', 'subnet_id', 'due_at']);
    t.index(['subnet_id', 'questionnaire_id']);
  });
  await knex.raw(
    `ALTER TABLE survey_responses ADD CONSTRAINT survey_responses_status_check CHECK (status IN ('answered','declined'))`,
  );
  await knex.schema.createTable('survey_answers', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('response_id').notNullable().references('survey_responses.id').onDelete('CASCADE');
    t.uuid('question_id').notNullable().references('questions.id').onDelete('CASCADE');
    t.integer('likert').nullable();
    t.string('choice', 200).nullable();
    t.text('text').nullable();
    t.unique(['response_id', 'question_id']);
  });
  await knex.schema.createTable('survey_snoozes', (t) => {
    t.uuid('questionnaire_id').notNullable().references('questionnaires.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id');
    t.timestamp('until', { useTz: true }).notNullable();
    t.primary(['questionnaire_id', 'user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['survey_snoozes', 'survey_answers', 'survey_responses', 'questions', 'questionnaires'])
    await knex.schema.dropTable(table);
}
