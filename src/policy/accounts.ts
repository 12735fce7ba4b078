import type { AccountAction, AccountTarget, Actor, AdminAction, Decision } from './types.js';
import { ALLOW, deny } from './types.js';
import { assertNever, isMemberRole, isSubnetStaffRole } from './helpers.js';
import { canUseAdminPages } from './admin.js';

/** The admin page an account action belongs to: suspension and its kin, or staff accounts. */
function adminPageOf(action: AccountAction): AdminAction {
  switch (action) {
    case 'suspend':
    case 'reinstate':
    case 'end_sessions':
    case 'erase':
      return 'suspend_any_account';
    case 'make_peer_moderator':
    case 'assign_subnets':
      return 'manage_staff';
    default:
      return assertNever(action);
  }
}

/**
 * An admin's action on one account (ACCESS.md "Accounts"). Admins only (to anyone else the
 * pages do not exist), and never on their own account:
 * - suspend an active account; reinstate a suspended one (an erased account stays erased);
 * - end every session of an account;
 * - erase a member account (patient, carer, professional);
 * - make an active member account a peer moderator;
 * - assign a clinician's or peer moderator's subnets.
 * Clinicians suspend and reinstate members of their own subnet through `canActOnMember`.
 */
export function canActOnAccount(actor: Actor, action: AccountAction, account: AccountTarget): Decision {
  const page = canUseAdminPages(actor, adminPageOf(action));
  if (!page.allowed) return page;
  const own = account.id === actor.id;
  switch (action) {
    case 'suspend':
      if (own) return deny('own_account', false);
      return account.status === 'active' ? ALLOW : deny('account_not_active', false);
    case 'reinstate':
      if (own) return deny('own_account', false);
      return account.status === 'suspended' ? ALLOW : deny('account_not_suspended', false);
    case 'end_sessions':
      return own ? deny('own_account', false) : ALLOW;
    case 'erase':
      if (!isMemberRole(account.role)) return deny('not_a_member_account', true);
      return own ? deny('own_account', true) : ALLOW;
    case 'make_peer_moderator':
      if (!isMemberRole(account.role)) return deny('not_a_member_account', true);
      return account.status === 'active' ? ALLOW : deny('account_not_active', true);
    case 'assign_subnets':
      return isSubnetStaffRole(account.role) ? ALLOW : deny('not_a_staff_account', true);
    default:
      return assertNever(action);
  }
}
