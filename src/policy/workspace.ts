import type { Actor, Decision } from './types.js';
import { ALLOW, deny } from './types.js';
import { isActive, isCurrent, isStaffOf } from './helpers.js';

/**
 * The staff home ("What needs you now", issue 15): the home page of staff of at least one current
 * subnet (clinician or peer moderator), and of admins (their landing page of admin tools). Members,
 * and staff whose every membership has ended, keep the members' lobby. It decides the page only:
 * each count on it is asked of the subnet's own rules (moderate, care-team inbox, on duty).
 */
export function canSeeStaffHome(actor: Actor, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (actor.role === 'admin') return ALLOW;
  const staffSomewhere = actor.memberships.some((m) => isCurrent(m, now) && isStaffOf(actor, m.subnetId, now));
  return staffSomewhere ? ALLOW : deny('role_not_permitted', true);
}
