import type { Knex } from 'knex';
import * as users from './20261121000100_users.js';
import * as subnets from './20261121000200_subnets_and_cohorts.js';
import * as rooms from './20261121000300_rooms.js';
import * as memberships from './20261121000400_memberships.js';
import * as keys from './20261121000500_invitation_keys.js';
import * as audit from './20261121000600_audit_log.js';
import * as sessions from './20261121000700_sessions.js';
import * as rateLimits from './20261121000800_rate_limits.js';
import * as messages from './20261121000900_messages.js';
import * as mutesReports from './20261121001000_mutes_and_reports.js';
import * as watchedWords from './20261121001100_watched_words.js';
import * as defaultWatchedWords from './20261121001200_default_watched_words.js';
import * as socketIoAttachments from './20261121001300_socket_io_attachments.js';
import * as files from './20261121001400_files.js';
import * as libraryItems from './20261121001500_library_items.js';
import * as videos from './20261121001600_videos.js';
import * as noticeboard from './20261121001700_noticeboard.js';
import * as postTargets from './20261121001800_reports_and_alerts_on_posts.js';
import * as careTeam from './20261121001900_care_team.js';
import * as notifications from './20261121002000_notifications.js';
import * as dutyAndCover from './20261121002100_duty_and_cover.js';
import * as surveys from './20261121002200_surveys.js';
import * as helpfulnessSurvey from './20261121002300_helpfulness_survey.js';
import * as careEvents from './20261121002400_care_events.js';
import * as retention from './20261121002500_retention.js';
import * as twoFactor from './20261121002600_two_factor.js';
import * as messageFloodIndex from './20261121002700_message_flood_index.js';
import * as ownPendingIndex from './20261121002800_own_pending_index.js';
import * as nicknameSkeleton from './20261121002900_nickname_skeleton.js';
import * as nicknameSkeletonBackfill from './20261121003000_nickname_skeleton_backfill.js';
import * as crisisContactsAfterDefaults from './20261121006100_crisis_contacts_after_defaults.js';
import * as baselineHoldsOff from './20261121007100_baseline_holds_off.js';
import * as baselineWatchedWordsBackfill from './20261121007200_baseline_watched_words_backfill.js';
import * as heldReasonRule from './20261121007300_held_reason_rule.js';
import * as authorRole from './20261121007400_author_role.js';
import * as authorRoleBackfill from './20261121007500_author_role_backfill.js';
import * as userForeignKeyIndexes from './20261202010100_user_foreign_key_indexes.js';
import * as contentForeignKeyIndexes from './20261202010200_content_foreign_key_indexes.js';
import * as notificationKindCheck from './20261202010300_notification_kind_check.js';
import * as reportOutcomeCheck from './20261202010400_report_outcome_check.js';
import * as baselineDetectorCheck from './20261202010500_baseline_detector_check.js';
import * as auditOutcomeCheck from './20261202010600_audit_outcome_check.js';
import * as roomVisits from './20261202030200_room_visits.js';
import * as notificationTarget from './20261202031000_notification_target.js';
import * as notificationTargetBackfill from './20261202031100_notification_target_backfill.js';
import * as threadsBoardOrderIndex from './20261202040000_threads_board_order_index.js';
import * as staffWorkEmail from './20261202050000_staff_work_email.js';
import * as libraryPageOrderIndex from './20261203030000_library_page_order_index.js';
import * as outcomeMeasures from './20261203010000_outcome_measures.js';
import * as auditTargetIndex from './20261203020200_audit_target_index.js';
import * as staffOidcSubject from './20261202050100_staff_oidc_subject.js';

type Migration = { up: (k: Knex) => Promise<void>; down: (k: Knex) => Promise<void> };

/** Every migration in order. Listed explicitly so that tsx, vitest and the compiled build load the same set. */
const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['20261121000100_users', users],
  ['20261121000200_subnets_and_cohorts', subnets],
  ['20261121000300_rooms', rooms],
  ['20261121000400_memberships', memberships],
  ['20261121000500_invitation_keys', keys],
  ['20261121000600_audit_log', audit],
  ['20261121000700_sessions', sessions],
  ['20261121000800_rate_limits', rateLimits],
  ['20261121000900_messages', messages],
  ['20261121001000_mutes_and_reports', mutesReports],
  ['20261121001100_watched_words', watchedWords],
  ['20261121001200_default_watched_words', defaultWatchedWords],
  ['20261121001300_socket_io_attachments', socketIoAttachments],
  ['20261121001400_files', files],
  ['20261121001500_library_items', libraryItems],
  ['20261121001600_videos', videos],
  ['20261121001700_noticeboard', noticeboard],
  ['20261121001800_reports_and_alerts_on_posts', postTargets],
  ['20261121001900_care_team', careTeam],
  ['20261121002000_notifications', notifications],
  ['20261121002100_duty_and_cover', dutyAndCover],
  ['20261121002200_surveys', surveys],
  ['20261121002300_helpfulness_survey', helpfulnessSurvey],
  ['20261121002400_care_events', careEvents],
  ['20261121002500_retention', retention],
  ['20261121002600_two_factor', twoFactor],
  ['20261121002700_message_flood_index', messageFloodIndex],
  ['20261121002800_own_pending_index', ownPendingIndex],
  ['20261121002900_nickname_skeleton', nicknameSkeleton],
  ['20261121003000_nickname_skeleton_backfill', nicknameSkeletonBackfill],
  ['20261121006100_crisis_contacts_after_defaults', crisisContactsAfterDefaults],
  ['20261121007100_baseline_holds_off', baselineHoldsOff],
  ['20261121007200_baseline_watched_words_backfill', baselineWatchedWordsBackfill],
  ['20261121007300_held_reason_rule', heldReasonRule],
  ['20261121007400_author_role', authorRole],
  ['20261121007500_author_role_backfill', authorRoleBackfill],
  ['20261202010100_user_foreign_key_indexes', userForeignKeyIndexes],
  ['20261202010200_content_foreign_key_indexes', contentForeignKeyIndexes],
  ['20261202010300_notification_kind_check', notificationKindCheck],
  ['20261202010400_report_outcome_check', reportOutcomeCheck],
  ['20261202010500_baseline_detector_check', baselineDetectorCheck],
  ['20261202010600_audit_outcome_check', auditOutcomeCheck],
  ['20261202030200_room_visits', roomVisits],
  ['20261202031000_notification_target', notificationTarget],
  ['20261202031100_notification_target_backfill', notificationTargetBackfill],
  ['20261202040000_threads_board_order_index', threadsBoardOrderIndex],
  ['20261202050000_staff_work_email', staffWorkEmail],
  ['20261202050100_staff_oidc_subject', staffOidcSubject],
  ['20261203010000_outcome_measures', outcomeMeasures],
  ['20261203020200_audit_target_index', auditTargetIndex],
  ['20261203030000_library_page_order_index', libraryPageOrderIndex],
];

/** A knex MigrationSource over the list above. */
export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
