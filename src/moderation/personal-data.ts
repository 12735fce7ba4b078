import { COVERED, ERASED_TEXT, staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/**
 * Reports a member made (their reason is their own words: it goes on erasure in both modes),
 * mutes applied to them, and the staff-only records of moderation.
 */
export const MODERATION_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'reports',
    personColumns: { reporter_id: COVERED, handled_by: staffAction('the moderator who closed the report') },
    export: {
      key: 'reportsMade',
      read: (db, userId) =>
        db('reports').where({ reporter_id: userId }).orderBy('id').select('reason', 'status', 'created_at'),
    },
    async erase(trx, userId) {
      // The report stays in the moderators' record (what was reported, and its outcome); the reason is the member's words.
      await trx('reports').where({ reporter_id: userId }).update({ reason: ERASED_TEXT });
    },
  },
  {
    table: 'mutes',
    personColumns: { user_id: COVERED, muted_by: staffAction('the moderator who muted the member') },
    export: {
      key: 'mutes',
      read: (db, userId) =>
        db('mutes as x')
          .join('rooms as r', 'r.id', 'x.room_id')
          .where('x.user_id', userId)
          .orderBy('x.id')
          .select('r.name as room', 'x.until', 'x.created_at'),
    },
    async erase(trx, userId) {
      // An erased account cannot post; the mute (and the moderator's note on it) has no use left. The audit log keeps that it happened.
      await trx('mutes').where({ user_id: userId }).delete();
    },
  },
  { table: 'alerts', personColumns: { acknowledged_by: staffAction('the staff member who acknowledged the alert') } },
  { table: 'watched_words', personColumns: { created_by: staffAction('the staff member who added the watched word') } },
  {
    table: 'baseline_holds_off',
    personColumns: {
      switched_off_by: staffAction('the staff member who switched a baseline detector off (with their reason)'),
    },
  },
];
