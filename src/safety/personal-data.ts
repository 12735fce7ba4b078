import { staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Duty sessions are staff records (who was on duty, and their handover note). */
export const SAFETY_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'duty_sessions',
    personColumns: {
      user_id: staffAction(
        'the staff member on duty, with their handover note (clinical handover record, written by staff)',
      ),
    },
  },
];
