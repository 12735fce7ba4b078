import { staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Videos are the service's content, added by clinicians. */
export const TELEVISION_PERSONAL_DATA: readonly PersonalDataTable[] = [
  { table: 'videos', personColumns: { created_by: staffAction('the clinician who added the video') } },
];
