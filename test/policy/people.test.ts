import { describe, expect, it } from 'vitest';
import {
  ADMIN_ACTIONS,
  canAnswerQuestionnaires,
  canUseAdminPages,
  canActOnMember,
  canActInSubnet,
  MEMBER_ACTIONS,
  ROLES,
  SUBNET_ACTIONS,
  type Actor,
  type Decision,
  type MemberTarget,
  type Role,
} from '../../src/policy/index.js';

/** shared/ACCESS.md "People and identities" and "Staff pages", as data. */
const NOW = new Date('2026-11-21T12:00:00Z');
const S = 'subnet-s';
const OTHER = 'subnet-other';
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
const member = (role: Role, subnets: string[]): MemberTarget => ({
  id: 'm',
  role,
  memberships: subnets.map((subnetId) => ({ subnetId, cohortId: 'c', endsAt: null })),
});

const SUBNET_TABLE: [string, Actor, string][] = [
  ['clinician of S', actor('clinician', [S]), 'allow'],
  ['clinician of another subnet', actor('clinician', [OTHER]), '404 role_not_permitted'],
  ['peer moderator of S', actor('peer_moderator', [S]), '404 role_not_permitted'],
  ['member of S', actor('patient', [S]), '404 role_not_permitted'],
  ['admin', actor('admin', []), '404 role_not_permitted'],
  ['suspended clinician of S', actor('clinician', [S], 'suspended'), '404 account_inactive'],
];

const MODERATION_TABLE: [string, Actor, string][] = [
  ['clinician of S', actor('clinician', [S]), 'allow'],
  ['peer moderator of S', actor('peer_moderator', [S]), 'allow'],
  ['peer moderator of another subnet', actor('peer_moderator', [OTHER]), '404 role_not_permitted'],
  ['member of S', actor('patient', [S]), '404 role_not_permitted'],
  ['admin', actor('admin', []), '404 role_not_permitted'],
  ['suspended peer moderator of S', actor('peer_moderator', [S], 'suspended'), '404 account_inactive'],
];
const WATCHED_WORDS_TABLE: [string, Actor, string][] = [
  ['clinician of S', actor('clinician', [S]), 'allow'],
  ['admin', actor('admin', []), 'allow'],
  ['peer moderator of S', actor('peer_moderator', [S]), '404 role_not_permitted'],
  ['clinician of another subnet', actor('clinician', [OTHER]), '404 role_not_permitted'],
  ['member of S', actor('carer', [S]), '404 role_not_permitted'],
  ['suspended admin', actor('admin', [], 'suspended'), '404 account_inactive'],
];
const SUBNET_TABLES: Record<(typeof SUBNET_ACTIONS)[number], [string, Actor, string][]> = {
  issue_key: SUBNET_TABLE,
  list_members: SUBNET_TABLE,
  suspend_members: SUBNET_TABLE,
  supervise_duty: SUBNET_TABLE,
  moderate_subnet: MODERATION_TABLE,
  go_on_duty: MODERATION_TABLE,
  manage_watched_words: WATCHED_WORDS_TABLE,
  manage_questionnaires: WATCHED_WORDS_TABLE,
  manage_measures: WATCHED_WORDS_TABLE,
  view_evaluation: WATCHED_WORDS_TABLE,
};

describe('subnet staff pages (keys, members, moderation queue, watched words)', () => {
  for (const action of SUBNET_ACTIONS) {
    it.each(SUBNET_TABLES[action])(`${action}: %s -> %s`, (_name, a, expected) => {
      expect(outcome(canActInSubnet(a, action, { id: S }, NOW))).toBe(expected);
    });
  }
});

const MEMBER_TABLE: [string, Actor, MemberTarget, string][] = [
  ['clinician of S on a patient of S', actor('clinician', [S]), member('patient', [S]), 'allow'],
  ['clinician of S on a carer of S', actor('clinician', [S]), member('carer', [S]), 'allow'],
  [
    'clinician of S on a patient of another subnet',
    actor('clinician', [S]),
    member('patient', [OTHER]),
    '404 not_in_subnet',
  ],
  [
    'clinician of S on a peer moderator of S',
    actor('clinician', [S]),
    member('peer_moderator', [S]),
    '403 not_a_member_account',
  ],
  [
    'clinician of another subnet on a patient of S',
    actor('clinician', [OTHER]),
    member('patient', [S]),
    '404 role_not_permitted',
  ],
  [
    'peer moderator of S on a patient of S',
    actor('peer_moderator', [S]),
    member('patient', [S]),
    '404 role_not_permitted',
  ],
  ['patient of S on a patient of S', actor('patient', [S]), member('patient', [S]), '404 role_not_permitted'],
  ['admin on a patient of S', actor('admin', []), member('patient', [S]), '404 role_not_permitted'],
  ['suspended clinician of S', actor('clinician', [S], 'suspended'), member('patient', [S]), '404 account_inactive'],
];

describe('acting on a member (reveal reference, move cohort, suspend)', () => {
  for (const action of MEMBER_ACTIONS) {
    it.each(MEMBER_TABLE)(`${action}: %s -> %s`, (_name, a, m, expected) => {
      expect(outcome(canActOnMember(a, action, m, S, NOW))).toBe(expected);
    });
  }
});

describe('admin pages', () => {
  for (const action of ADMIN_ACTIONS) {
    it.each(ROLES.map((r) => [r, r === 'admin' ? 'allow' : '404 role_not_permitted'] as const))(
      `${action}: %s -> %s`,
      (role, expected) => {
        expect(outcome(canUseAdminPages(actor(role, role === 'clinician' ? [S] : []), action))).toBe(expected);
      },
    );
    it(`${action}: a suspended admin -> 404 account_inactive`, () => {
      expect(outcome(canUseAdminPages(actor('admin', [], 'suspended'), action))).toBe('404 account_inactive');
    });
  }
});

describe('answering questionnaires: members of S only, never staff', () => {
  it.each([
    ['patient of S', actor('patient', [S]), 'allow'],
    ['carer of S', actor('carer', [S]), 'allow'],
    ['professional of S', actor('professional', [S]), 'allow'],
    ['patient of another subnet', actor('patient', [OTHER]), '404 not_in_subnet'],
    ['clinician of S', actor('clinician', [S]), '404 role_not_permitted'],
    ['peer moderator of S', actor('peer_moderator', [S]), '404 role_not_permitted'],
    ['admin', actor('admin', []), '404 role_not_permitted'],
    ['suspended patient of S', actor('patient', [S], 'suspended'), '404 account_inactive'],
  ] as const)('%s -> %s', (_n, a, expected) => {
    expect(outcome(canAnswerQuestionnaires(a, S, NOW))).toBe(expected);
  });
});
