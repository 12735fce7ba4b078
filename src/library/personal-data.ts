import { staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Library items are the service's content, added and reviewed by clinicians. */
export const LIBRARY_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'library_items',
    personColumns: {
      created_by: staffAction('the clinician who added the item'),
      reviewed_by: staffAction('the clinician who reviewed the item'),
    },
  },
];
