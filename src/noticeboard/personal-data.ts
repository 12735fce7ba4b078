import { COVERED, ERASED_TEXT, staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/** Noticeboard threads and replies: exported; on erasure kept as "Former member" or, in `remove` mode, removed with their text. */
export const NOTICEBOARD_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'threads',
    personColumns: {
      author_id: COVERED,
      moderated_by: staffAction('the moderator who removed, approved, declined, pinned, locked or moved the thread'),
    },
    export: {
      key: 'noticeboardThreads',
      read: (db, userId) =>
        db('threads as t')
          .join('rooms as r', 'r.id', 't.room_id')
          .where('t.author_id', userId)
          .orderBy('t.created_at')
          .select('r.name as room', 't.title', 't.body', 't.status', 't.created_at'),
    },
    async erase(trx, userId, mode) {
      if (mode === 'keep') return;
      await trx('threads')
        .where({ author_id: userId })
        .whereNot('status', 'removed')
        .update({ status: 'removed', moderation_reason: 'erased' });
      await trx('threads').where({ author_id: userId }).update({ title: ERASED_TEXT, body: ERASED_TEXT });
    },
  },
  {
    table: 'replies',
    personColumns: {
      author_id: COVERED,
      moderated_by: staffAction('the moderator who removed, approved or declined the reply'),
    },
    export: {
      key: 'noticeboardReplies',
      read: (db, userId) =>
        db('replies as p')
          .join('threads as t', 't.id', 'p.thread_id')
          .where('p.author_id', userId)
          .orderBy('p.created_at')
          .select('t.title as thread', 'p.body', 'p.status', 'p.created_at'),
    },
    async erase(trx, userId, mode) {
      if (mode === 'keep') return;
      await trx('replies')
        .where({ author_id: userId })
        .whereNot('status', 'removed')
        .update({ status: 'removed', moderation_reason: 'erased' });
      await trx('replies').where({ author_id: userId }).update({ body: ERASED_TEXT });
    },
  },
];
