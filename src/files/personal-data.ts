import { staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Uploaded files (attachments, videos, posters, captions) are the service's content, uploaded by staff. */
export const FILES_PERSONAL_DATA: readonly PersonalDataTable[] = [
  { table: 'files', personColumns: { created_by: staffAction('the staff member who uploaded the file') } },
];
