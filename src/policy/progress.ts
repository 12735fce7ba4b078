import type { Actor, Decision } from './types.js';
import { ALLOW, deny } from './types.js';
import { isActive, isMemberRole } from './helpers.js';

/**
 * A member's own progress page (their outcome-measure scores over time, issue 17 item 3): the
 * scores are the person's own, so any active member account sees them (patient, carer,
 * professional), whichever services they belong to now: scores given in a service they have left
 * stay theirs to see. Staff and admins answer no measures; they read a member's scores on the
 * member page (clinician of S, canActOnMember), never here, so for them the page does not exist.
 */
export function canSeeOwnProgress(actor: Actor): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  return isMemberRole(actor.role) ? ALLOW : deny('role_not_permitted', true);
}
