import { COVERED, ERASED_TEXT, staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Living-room messages: exported; on erasure kept as "Former member" or, in `remove` mode, removed with their text. */
export const CHAT_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'messages',
    personColumns: {
      author_id: COVERED,
      moderated_by: staffAction('the moderator who removed, approved or declined the message'),
    },
    export: {
      key: 'livingRoomMessages',
      read: (db, userId) =>
        db('messages as m')
          .join('rooms as r', 'r.id', 'm.room_id')
          .where('m.author_id', userId)
          .orderBy('m.id')
          .select('r.name as room', 'm.body', 'm.status', 'm.created_at'),
    },
    async erase(trx, userId, mode) {
      if (mode === 'keep') return;
      await trx('messages')
        .where({ author_id: userId })
        .whereNot('status', 'removed')
        .update({ status: 'removed', moderation_reason: 'erased' });
      // The text goes too (a removed message is hidden, but its body would otherwise stay in the database).
      await trx('messages').where({ author_id: userId }).update({ body: ERASED_TEXT });
    },
  },
];
