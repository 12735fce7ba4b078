import type { Actor, Decision, MemberAction, MemberTarget, SubnetAction, SubnetTarget } from './types.js';
import { ALLOW, deny } from './types.js';
import { currentMembership, isActive, isClinicianOf, isMemberRole, isStaffOf, assertNever } from './helpers.js';

/**
 * Subnet-level staff pages. ACCESS.md "People and identities" and "Staff pages":
 * - issuing keys, the member list (cohort, last seen), suspending members, supervising duties
 *   (handover notes and peer moderators' actions): clinician of S only;
 * - the moderation queue and alerts, going on and off duty (and the duty page that comes with it:
 *   the last handover note and the open items): staff of S (clinician or peer moderator);
 * - watched words, questionnaires and their answers, the outcome measures a subnet uses and how
 *   often (its measure schedule), the evaluation dashboard and its exports: clinician of S, or an
 *   admin (all subnets).
 * To everyone else the page does not exist.
 */
export function canActInSubnet(actor: Actor, action: SubnetAction, subnet: SubnetTarget, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  switch (action) {
    case 'issue_key':
    case 'list_members':
    case 'suspend_members':
    case 'supervise_duty':
      return isClinicianOf(actor, subnet.id, now) ? ALLOW : deny('role_not_permitted', true);
    case 'moderate_subnet':
    case 'go_on_duty':
      return isStaffOf(actor, subnet.id, now) ? ALLOW : deny('role_not_permitted', true);
    case 'manage_watched_words':
    case 'manage_questionnaires':
    case 'manage_measures':
    case 'view_evaluation':
      return isClinicianOf(actor, subnet.id, now) || actor.role === 'admin' ? ALLOW : deny('role_not_permitted', true);
    default:
      return assertNever(action);
  }
}

/**
 * Acting on one member within subnet S: reveal their private reference, move them between
 * cohorts, suspend or reinstate them, record and read their care events. Clinician of S only, and only on a member account that
 * belongs to S (a clinician cannot reach a member of another service, nor another staff member).
 */
export function canActOnMember(
  actor: Actor,
  action: MemberAction,
  member: MemberTarget,
  subnetId: string,
  now: Date,
): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (!isClinicianOf(actor, subnetId, now)) return deny('role_not_permitted', true);
  if (!currentMembership(member, subnetId, now)) return deny('not_in_subnet', true);
  if (!isMemberRole(member.role)) return deny('not_a_member_account', false);
  switch (action) {
    case 'reveal_reference':
    case 'move_member':
    case 'suspend_member':
    case 'record_care_event':
      return ALLOW;
    default:
      return assertNever(action);
  }
}

/**
 * Moving a member along their care pathway from subnet S1 into subnet S2 (which may be S1): the
 * actor must be a clinician of both, and the member a member account of S1.
 */
export function canMoveAlongPathway(
  actor: Actor,
  member: MemberTarget,
  fromSubnetId: string,
  toSubnetId: string,
  now: Date,
): Decision {
  const here = canActOnMember(actor, 'move_member', member, fromSubnetId, now);
  if (!here.allowed) return here;
  return isClinicianOf(actor, toSubnetId, now) ? ALLOW : deny('role_not_permitted', false);
}

/**
 * Questionnaires (outcome measures) are for the members of S (patients, carers, professionals),
 * never for staff: may the actor answer S's questionnaires? ACCESS.md "Staff pages".
 */
export function canAnswerQuestionnaires(actor: Actor, subnetId: string, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (!isMemberRole(actor.role)) return deny('role_not_permitted', true);
  return currentMembership(actor, subnetId, now) ? ALLOW : deny('not_in_subnet', true);
}
