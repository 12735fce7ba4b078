import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_STATUSES,
  canSeeStaffHome,
  ROLES,
  type Actor,
  type Decision,
  type Role,
} from '../../src/policy/index.js';
import { tableGaps } from './completeness.js';

// Issue 15 item 1: who gets the staff home ("What needs you now", or an admin's landing) at GET /,
// as data a clinician can review: every role x (a current membership, an ended one, none) x status.

const NOW = new Date('2026-12-02T12:00:00Z');
const MEMBERSHIPS = ['current', 'ended', 'none'] as const;
type MembershipCase = (typeof MEMBERSHIPS)[number];
const outcome = (d: Decision) => (d.allowed ? 'staff home' : `lobby (${d.reason})`);

const actor = (role: Role, m: MembershipCase, status: Actor['status']): Actor => ({
  id: 'a',
  role,
  status,
  memberships:
    m === 'none'
      ? []
      : [
          {
            subnetId: 's',
            cohortId: ['patient', 'carer', 'professional'].includes(role) ? 'c' : null,
            endsAt: m === 'ended' ? new Date(NOW.getTime() - 1000) : null,
          },
        ],
});

/** For an active account. Suspended and erased accounts get nothing (account_inactive), whatever the row. */
const ACTIVE: Record<Role, Record<MembershipCase, string>> = {
  admin: { current: 'staff home', ended: 'staff home', none: 'staff home' },
  clinician: {
    current: 'staff home',
    ended: 'lobby (role_not_permitted)',
    none: 'lobby (role_not_permitted)',
  },
  peer_moderator: {
    current: 'staff home',
    ended: 'lobby (role_not_permitted)',
    none: 'lobby (role_not_permitted)',
  },
  patient: {
    current: 'lobby (role_not_permitted)',
    ended: 'lobby (role_not_permitted)',
    none: 'lobby (role_not_permitted)',
  },
  carer: {
    current: 'lobby (role_not_permitted)',
    ended: 'lobby (role_not_permitted)',
    none: 'lobby (role_not_permitted)',
  },
  professional: {
    current: 'lobby (role_not_permitted)',
    ended: 'lobby (role_not_permitted)',
    none: 'lobby (role_not_permitted)',
  },
};

describe('canSeeStaffHome', () => {
  it('the table has a row for every role and a column for every membership case', () => {
    expect(tableGaps(ACTIVE, ROLES, MEMBERSHIPS)).toEqual([]);
  });

  for (const role of ROLES)
    for (const m of MEMBERSHIPS)
      for (const status of ACCOUNT_STATUSES) {
        const expected = status === 'active' ? ACTIVE[role][m] : 'lobby (account_inactive)';
        it(`${role} | ${m} membership | ${status} -> ${expected}`, () => {
          expect(outcome(canSeeStaffHome(actor(role, m, status), NOW))).toBe(expected);
        });
      }
});
