import type { Actor, CareConversationTarget, Decision, NotificationTarget } from './types.js';
import { ALLOW, deny } from './types.js';
import { currentMembership, isActive, isClinicianOf, isStaffOf } from './helpers.js';

/** Patients and carers have a care team; outside professionals on a training subnet do not. */
function hasCareTeamIn(actor: Actor, subnetId: string, now: Date): boolean {
  return (actor.role === 'patient' || actor.role === 'carer') && currentMembership(actor, subnetId, now) !== undefined;
}

/**
 * Reading and writing a member's care-team conversation in S (ACCESS.md "Care team"):
 * the member themselves, clinicians of S, peer moderators of S only where S allows it.
 * To everyone else (other members, admins) the conversation does not exist.
 */
export function canOpenCareConversation(actor: Actor, conv: CareConversationTarget, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (actor.id === conv.memberId) return hasCareTeamIn(actor, conv.subnetId, now) ? ALLOW : deny('not_in_subnet', true);
  if (isClinicianOf(actor, conv.subnetId, now)) return ALLOW;
  if (conv.peerModeratorsAllowed && isStaffOf(actor, conv.subnetId, now)) return ALLOW;
  return deny('not_owner', true);
}

/** The list of conversations awaiting a reply in S: the care team of S (as above, less the member). */
export function canListCareConversations(
  actor: Actor,
  subnet: { id: string; peerModeratorsAllowed: boolean },
  now: Date,
): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (isClinicianOf(actor, subnet.id, now)) return ALLOW;
  if (subnet.peerModeratorsAllowed && isStaffOf(actor, subnet.id, now)) return ALLOW;
  return deny('role_not_permitted', true);
}

/** May this member write to their own care team in S? */
export function canWriteToCareTeam(actor: Actor, subnetId: string, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  return hasCareTeamIn(actor, subnetId, now) ? ALLOW : deny('role_not_permitted', true);
}

/** A notification is its owner's alone (ACCESS.md "read a notification": owner only, others 404). */
export function canReadNotification(actor: Actor, n: NotificationTarget): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  return actor.id === n.userId ? ALLOW : deny('not_owner', true);
}
