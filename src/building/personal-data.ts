import { COVERED, type PersonalDataTable } from '../privacy/personal-data.js';
import { deleteVisitsOf, listVisitsOf } from './room-visits.repo.js';

/**
 * When a person last looked at each room (for the lobby's "new since your last visit"): theirs to
 * download, and forgotten on erasure in both modes (it is about them, not something others read).
 */
export const BUILDING_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'room_visits',
    personColumns: { user_id: COVERED },
    export: { key: 'roomVisits', read: listVisitsOf },
    erase: (trx, userId) => deleteVisitsOf(trx, userId),
  },
];
