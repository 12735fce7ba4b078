import { COVERED, staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/**
 * Survey answers. Written answers are the member's own words and go on erasure in both modes;
 * scores and choices stay (unlinked from anything personal) so that the service's evaluation
 * counts do not change after the fact.
 */
export const SURVEYS_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'survey_responses',
    personColumns: { user_id: COVERED },
    export: {
      key: 'surveyAnswers',
      read: (db, userId) =>
        db('survey_answers as a')
          .join('survey_responses as r', 'r.id', 'a.response_id')
          .join('questions as q', 'q.id', 'a.question_id')
          .where('r.user_id', userId)
          .select('q.text as question', 'a.likert', 'a.choice', 'a.text', 'r.created_at'),
    },
    async erase(trx, userId) {
      await trx('survey_answers')
        .whereIn('response_id', trx('survey_responses').where({ user_id: userId }).select('id'))
        .whereNotNull('text')
        .update({ text: null });
    },
  },
  {
    table: 'survey_answers',
    personColumns: {},
    findsPersonBy: 'response_id -> survey_responses.user_id (exported and erased with survey_responses)',
  },
  {
    table: 'survey_snoozes',
    personColumns: {
      user_id: { export: { omit: 'a reminder setting ("ask me later"), not something the person wrote' }, erase: true },
    },
    async erase(trx, userId) {
      await trx('survey_snoozes').where({ user_id: userId }).delete();
    },
  },
  {
    table: 'questionnaires',
    personColumns: { created_by: staffAction('the clinician who created the questionnaire') },
  },
];
