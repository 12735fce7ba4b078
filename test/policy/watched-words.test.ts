import { describe, expect, it } from 'vitest';
import { canSwitchBaselineRule, ROLES, type Actor, type Decision, type Role } from '../../src/policy/index.js';

/** The safety baseline's rules (ACCESS.md "watched words of S"; hazard log "a new service starts without crisis alerting"), as data. */
const NOW = new Date('2026-11-21T12:00:00Z');
const S = 'subnet-s';
const outcome = (d: Decision) => (d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`);
const actor = (role: Role, subnets: string[], status: Actor['status'] = 'active'): Actor => ({
  id: 'a',
  role,
  status,
  memberships: subnets.map((subnetId) => ({
    subnetId,
    cohortId: ['patient', 'carer', 'professional'].includes(role) ? 'c' : null,
    endsAt: null,
  })),
});

const TABLE: [string, Actor, 'alert' | 'hold', string][] = [
  ['clinician of S | contact-detail hold', actor('clinician', [S]), 'hold', 'allow'],
  ['admin | contact-detail hold', actor('admin', []), 'hold', 'allow'],
  ['clinician of S | crisis alerts', actor('clinician', [S]), 'alert', '403 always_on'],
  ['admin | crisis alerts', actor('admin', []), 'alert', '403 always_on'],
  ['peer moderator of S | contact-detail hold', actor('peer_moderator', [S]), 'hold', '404 role_not_permitted'],
  ['peer moderator of S | crisis alerts', actor('peer_moderator', [S]), 'alert', '404 role_not_permitted'],
  [
    'clinician of another subnet | contact-detail hold',
    actor('clinician', ['other']),
    'hold',
    '404 role_not_permitted',
  ],
  ['member of S | contact-detail hold', actor('patient', [S]), 'hold', '404 role_not_permitted'],
  [
    'suspended clinician of S | contact-detail hold',
    actor('clinician', [S], 'suspended'),
    'hold',
    '404 account_inactive',
  ],
];

describe('switching a rule of the safety baseline off or back on', () => {
  it.each(TABLE)('%s -> %s', (_name, a, action, expected) => {
    expect(outcome(canSwitchBaselineRule(a, { id: S }, { action }, NOW))).toBe(expected);
  });

  it('nobody can switch the crisis alerts off, whatever their role', () => {
    for (const role of ROLES) {
      expect(canSwitchBaselineRule(actor(role, [S]), { id: S }, { action: 'alert' }, NOW).allowed).toBe(false);
    }
  });
});
