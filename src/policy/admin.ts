import type { Actor, AdminAction, Decision } from './types.js';
import { ALLOW, deny } from './types.js';
import { isActive, assertNever } from './helpers.js';

/**
 * The admin pages: subnets, cohorts, rooms, staff accounts, suspension of any account, the audit
 * log. Admins only; to anyone else these pages do not exist.
 */
export function canUseAdminPages(actor: Actor, action: AdminAction): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  switch (action) {
    case 'manage_subnets':
    case 'manage_staff':
    case 'suspend_any_account':
    case 'read_audit':
      return actor.role === 'admin' ? ALLOW : deny('role_not_permitted', true);
    default:
      return assertNever(action);
  }
}
