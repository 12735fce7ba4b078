import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ACTIONS,
  ACCOUNT_STATUSES,
  canActOnAccount,
  ROLES,
  type AccountAction,
  type AccountStatus,
  type AccountTarget,
  type Actor,
  type Decision,
  type Role,
} from '../../src/policy/index.js';
import { assertNever } from '../../src/policy/helpers.js';
import { readingGaps, tableGaps } from './completeness.js';

/**
 * shared/ACCESS.md "Accounts", as data: an admin's actions on an account, by the account's kind
 * and status. Everyone who is not an active admin gets 404 for every action (tested below).
 */
type Outcome = 'allow' | `404 ${string}` | `403 ${string}`;
const ON_ACCOUNT = {
  'member account, active': {
    suspend: 'allow',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: 'allow',
    make_peer_moderator: 'allow',
    assign_subnets: '404 not_a_staff_account',
  },
  'member account, suspended': {
    suspend: '403 account_not_active',
    reinstate: 'allow',
    end_sessions: 'allow',
    erase: 'allow',
    make_peer_moderator: '404 account_not_active',
    assign_subnets: '404 not_a_staff_account',
  },
  'member account, erased': {
    suspend: '403 account_not_active',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: 'allow',
    make_peer_moderator: '404 account_not_active',
    assign_subnets: '404 not_a_staff_account',
  },
  'subnet staff account, active': {
    suspend: 'allow',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: 'allow',
  },
  'subnet staff account, suspended': {
    suspend: '403 account_not_active',
    reinstate: 'allow',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: 'allow',
  },
  'subnet staff account, erased': {
    suspend: '403 account_not_active',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: 'allow',
  },
  'another admin, active': {
    suspend: 'allow',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: '404 not_a_staff_account',
  },
  'another admin, suspended': {
    suspend: '403 account_not_active',
    reinstate: 'allow',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: '404 not_a_staff_account',
  },
  'another admin, erased': {
    suspend: '403 account_not_active',
    reinstate: '403 account_not_suspended',
    end_sessions: 'allow',
    erase: '404 not_a_member_account',
    make_peer_moderator: '404 not_a_member_account',
    assign_subnets: '404 not_a_staff_account',
  },
} as const satisfies Record<string, Record<AccountAction, Outcome>>;
type Row = keyof typeof ON_ACCOUNT;

const outcome = (d: Decision) => (d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`);
const actor = (role: Role, status: AccountStatus = 'active'): Actor => ({ id: 'actor', role, status, memberships: [] });
const account = (role: Role, status: AccountStatus, id = 'account'): AccountTarget => ({ id, role, status });

/** The row an account falls in: one case per role and status, no default. */
function rowOf(role: Role, status: AccountStatus): Row {
  const kind = ((): 'member account' | 'subnet staff account' | 'another admin' => {
    switch (role) {
      case 'patient':
      case 'carer':
      case 'professional':
        return 'member account';
      case 'clinician':
      case 'peer_moderator':
        return 'subnet staff account';
      case 'admin':
        return 'another admin';
      default:
        return assertNever(role);
    }
  })();
  return `${kind}, ${status}`;
}

describe('an admin acting on an account, every role x status x action', () => {
  const cases = ROLES.flatMap((role) =>
    ACCOUNT_STATUSES.flatMap((status) =>
      ACCOUNT_ACTIONS.map((action) => ({ role, status, action, expected: ON_ACCOUNT[rowOf(role, status)][action] })),
    ),
  );
  it.each(cases)('$action a $role account, $status -> $expected', ({ role, status, action, expected }) => {
    expect(outcome(canActOnAccount(actor('admin'), action, account(role, status)))).toBe(expected);
  });

  it.each(ACCOUNT_ACTIONS)('%s on their own account is refused', (action) => {
    expect(canActOnAccount(actor('admin'), action, account('admin', 'active', 'actor')).allowed).toBe(false);
  });

  it.each(ROLES.filter((r) => r !== 'admin'))(
    'a %s may do nothing to any account: the pages do not exist (404)',
    (role) => {
      for (const action of ACCOUNT_ACTIONS)
        expect(outcome(canActOnAccount(actor(role), action, account('patient', 'active')))).toBe(
          '404 role_not_permitted',
        );
    },
  );

  it('a suspended admin may do nothing', () => {
    for (const action of ACCOUNT_ACTIONS)
      expect(outcome(canActOnAccount(actor('admin', 'suspended'), action, account('patient', 'active')))).toBe(
        '404 account_inactive',
      );
  });

  it('every role and status has a row, every row an outcome for every action; the checker finds a missing one', () => {
    const rows = Object.keys(ON_ACCOUNT);
    for (const status of ACCOUNT_STATUSES) expect(readingGaps(ROLES, (r) => rowOf(r, status), rows)).toEqual([]);
    expect(tableGaps(ON_ACCOUNT, rows, ACCOUNT_ACTIONS)).toEqual([]);
    const { erase: _left, ...partial } = ON_ACCOUNT['member account, erased'];
    expect(tableGaps({ ...ON_ACCOUNT, 'member account, erased': partial }, rows, ACCOUNT_ACTIONS)).toEqual([
      'member account, erased | erase',
    ]);
    expect(readingGaps([...ROLES, 'nurse'] as Role[], (r) => rowOf(r, 'active'), rows)).toEqual(['nurse (no rule)']);
  });
});
