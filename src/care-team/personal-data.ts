import { COVERED, ERASED_TEXT, type PersonalDataTable } from '../privacy/personal-data.js';

/**
 * Care-team conversations. The member's own messages are exported; in `remove` mode their text
 * goes. Staff replies are the service's clinical record and stay, so the conversation stays too.
 */
export const CARE_TEAM_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'care_conversations',
    personColumns: {
      member_id: {
        export: {
          omit: 'holds no text: the messages the person wrote in it are exported under careTeamMessages; staff replies are clinical record, left to subject access',
        },
        erase: {
          retain:
            'the conversation holds staff replies (clinical record) and no text of its own; it names the erased account, which holds nothing personal any more',
        },
      },
    },
  },
  {
    table: 'care_messages',
    personColumns: { author_id: COVERED },
    export: {
      key: 'careTeamMessages',
      read: (db, userId) =>
        db('care_messages as m')
          .join('care_conversations as c', 'c.id', 'm.conversation_id')
          .where('m.author_id', userId)
          .orderBy('m.id')
          .select('m.body', 'm.created_at'),
    },
    async erase(trx, userId, mode) {
      if (mode === 'keep') return;
      await trx('care_messages').where({ author_id: userId }).update({ body: ERASED_TEXT });
    },
  },
];
