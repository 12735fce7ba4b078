import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_STATUSES,
  canSeeOwnProgress,
  ROLES,
  type Actor,
  type Decision,
  type Role,
} from '../../src/policy/index.js';
import { tableGaps } from './completeness.js';

// Issue 17 item 3: who sees GET /measures/progress (their own scores over time), as data a clinician
// can review: every role x (a current membership, an ended one, none) x account status.

const NOW = new Date('2026-12-03T12:00:00Z');
const MEMBERSHIPS = ['current', 'ended', 'none'] as const;
type MembershipCase = (typeof MEMBERSHIPS)[number];
const outcome = (d: Decision) => (d.allowed ? 'own scores' : `${d.hide ? '404' : '403'} ${d.reason}`);

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

const STAFF = { current: '404 role_not_permitted', ended: '404 role_not_permitted', none: '404 role_not_permitted' };
const MEMBER = { current: 'own scores', ended: 'own scores', none: 'own scores' };
/** For an active account. Suspended and erased accounts get nothing (404 account_inactive), whatever the row. */
const ACTIVE: Record<Role, Record<MembershipCase, string>> = {
  admin: STAFF,
  clinician: STAFF,
  peer_moderator: STAFF,
  patient: MEMBER,
  carer: MEMBER,
  professional: MEMBER,
};

describe('canSeeOwnProgress', () => {
  it('the table has a row for every role and a column for every membership case', () => {
    expect(tableGaps(ACTIVE, ROLES, MEMBERSHIPS)).toEqual([]);
  });

  for (const role of ROLES)
    for (const m of MEMBERSHIPS)
      for (const status of ACCOUNT_STATUSES) {
        const expected = status === 'active' ? ACTIVE[role][m] : '404 account_inactive';
        it(`${role} | ${m} membership | ${status} -> ${expected}`, () => {
          expect(outcome(canSeeOwnProgress(actor(role, m, status)))).toBe(expected);
        });
      }
});
