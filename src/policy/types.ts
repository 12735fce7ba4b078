/** The closed vocabularies of the access policy and the plain data it decides on. */

export const ROLES = ['admin', 'clinician', 'peer_moderator', 'patient', 'carer', 'professional'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that are staff of a subnet when they hold a membership in it. */
export const SUBNET_STAFF_ROLES = ['clinician', 'peer_moderator'] as const satisfies readonly Role[];
/** Roles that belong to exactly one cohort of each subnet they are in. */
export const MEMBER_ROLES = ['patient', 'carer', 'professional'] as const satisfies readonly Role[];
export type MemberRole = (typeof MEMBER_ROLES)[number];
/** Roles an admin may create accounts for. */
export const STAFF_ROLES = ['admin', 'clinician', 'peer_moderator'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ACCOUNT_STATUSES = ['active', 'suspended', 'erased'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const ROOM_KINDS = ['living_room', 'library', 'television', 'noticeboard'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];

export const ROOM_ACTIONS = ['see', 'enter', 'post', 'report', 'moderate', 'manage_items'] as const;
export type RoomAction = (typeof ROOM_ACTIONS)[number];

export const SUBNET_ACTIONS = [
  'issue_key',
  'list_members',
  'suspend_members',
  'supervise_duty',
  'moderate_subnet',
  'go_on_duty',
  'manage_watched_words',
  'manage_questionnaires',
  'manage_measures',
  'view_evaluation',
] as const;
export type SubnetAction = (typeof SUBNET_ACTIONS)[number];

export const MEMBER_ACTIONS = ['reveal_reference', 'move_member', 'suspend_member', 'record_care_event'] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

export const ADMIN_ACTIONS = ['manage_subnets', 'manage_staff', 'suspend_any_account', 'read_audit'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export const ACCOUNT_ACTIONS = [
  'suspend',
  'reinstate',
  'end_sessions',
  'erase',
  'make_peer_moderator',
  'assign_subnets',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

export const DENY_REASONS = [
  'account_inactive',
  'membership_ended',
  'not_in_subnet',
  'not_in_cohort',
  'role_not_permitted',
  'not_a_member_account',
  'muted',
  'thread_locked',
  'read_only_now',
  'not_owner',
  'always_on',
  'not_published',
  'awaiting_moderation',
  'content_removed',
  'own_account',
  'account_not_active',
  'account_not_suspended',
  'not_a_staff_account',
] as const;
export type DenyReason = (typeof DENY_REASONS)[number];

/**
 * A decision. A denial says why (for the audit log and tests, never for the page) and whether
 * the target must stay hidden (answer 404, exactly as for an id that does not exist) or may be
 * acknowledged (answer 403).
 */
export type Decision = { allowed: true } | { allowed: false; reason: DenyReason; hide: boolean };

export interface Membership {
  subnetId: string;
  /** null for staff memberships. */
  cohortId: string | null;
  endsAt: Date | null;
}

/** The person asking, with everything the policy needs preloaded. */
export interface Actor {
  id: string;
  role: Role;
  status: AccountStatus;
  memberships: readonly Membership[];
}

export interface RoomTarget {
  id: string;
  subnetId: string;
  kind: RoomKind;
  audienceCohortIds: readonly string[];
}

export interface SubnetTarget {
  id: string;
}

/** A rule of the safety baseline (every subnet has it): an alert on crisis phrases or a hold on contact details. */
export interface BaselineRuleTarget {
  action: 'alert' | 'hold';
}

/** An account an admin acts on. */
export interface AccountTarget {
  id: string;
  role: Role;
  status: AccountStatus;
}

/** A person acted upon (a member of one or more subnets). */
export interface MemberTarget {
  id: string;
  role: Role;
  memberships: readonly Membership[];
}

export const ALLOW: Decision = { allowed: true };

/** Builds a denial. */
export function deny(reason: DenyReason, hide: boolean): Decision {
  return { allowed: false, reason, hide };
}

/** A member's care-team conversation in one subnet. */
export interface CareConversationTarget {
  subnetId: string;
  memberId: string;
  /** The subnet's setting: do its peer moderators share the care team's conversations? */
  peerModeratorsAllowed: boolean;
}

/**
 * The statuses of a room's content: library items and videos are drafts until published; chat
 * messages, threads and replies are visible, held (waiting for a moderator), declined or removed.
 */
export const CONTENT_STATUSES = ['published', 'draft', 'visible', 'held', 'declined', 'removed'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** One piece of a room's content (its room is passed alongside). */
export interface ContentTarget {
  status: ContentStatus;
  /** Its author; null where authorship does not matter (library items, videos). */
  authorId: string | null;
}

/** What a list of a room's content shows a person: everybody's in `anyone`, their own also in `own`. */
export interface ListedContentStatuses {
  anyone: readonly ContentStatus[];
  own: readonly ContentStatus[];
}

export interface NotificationTarget {
  userId: string;
}

/** What holds a room back from taking posts right now (preloaded by the caller). */
export interface PostingState {
  /** When the actor's mute in this room ends, or null. */
  mutedUntil: Date | null;
  /** The room's cover rule is "read-only" and no staff of the subnet is on duty. */
  readOnlyNow: boolean;
}
