import { staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/**
 * Outcome measures. A member's scores are in their download (each answer, total and band, with the
 * date). On erasure the scores stay, like survey scores, so that the service's reliable-change
 * figures do not change after the fact: they hold no words the member wrote, and once the account
 * is erased they are linked to no name. Reminders ("ask me later") go.
 */
export const MEASURES_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'measure_responses',
    personColumns: {
      user_id: {
        export: true,
        erase: {
          retain:
            'scores and bands only, no words the member wrote; kept so that the reliable-change figures stay as reported, linked to no name once the account is erased',
        },
      },
    },
    export: {
      key: 'outcomeMeasures',
      read: (db, userId) =>
        db('measure_responses')
          .where({ user_id: userId })
          .orderBy('answered_at')
          .select('instrument_key as measure', 'status', 'item_scores', 'total', 'band', 'due_at', 'answered_at'),
    },
  },
  {
    table: 'measure_snoozes',
    personColumns: {
      user_id: { export: { omit: 'a reminder setting ("ask me later"), not something the person wrote' }, erase: true },
    },
    async erase(trx, userId) {
      await trx('measure_snoozes').where({ user_id: userId }).delete();
    },
  },
  { table: 'measure_instruments', personColumns: { added_by: staffAction('the admin who added the instrument') } },
  { table: 'subnet_instruments', personColumns: { enabled_by: staffAction('the admin who enabled the instrument') } },
  { table: 'subnet_measures', personColumns: { updated_by: staffAction('the clinician who set the schedule') } },
];
