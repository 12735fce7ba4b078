import type { PersonalDataTable } from '../privacy/personal-data.js';

/** Notifications hold a kind and a link, never text; they are deleted on erasure. */
export const NOTIFICATIONS_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'notifications',
    personColumns: {
      user_id: { export: { omit: 'system notices holding only a kind and a link, never text' }, erase: true },
    },
    async erase(trx, userId) {
      await trx('notifications').where({ user_id: userId }).delete();
    },
  },
];
