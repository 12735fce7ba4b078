import { describe, expect, it } from 'vitest';
import {
  canListCareConversations,
  canReplyToThread,
  canWriteToCareTeam,
  canOpenCareConversation,
  canReadNotification,
  type Actor,
  type Decision,
  type Role,
} from '../../src/policy/index.js';

/** shared/ACCESS.md "Care team and notifications", and locked threads, as data. */
const NOW = new Date('2026-11-21T03:00:00Z');
const S = 'subnet-s';
const outcome = (d: Decision) => (d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`);
const person = (id: string, role: Role, subnets: string[], status: Actor['status'] = 'active'): Actor => ({
  id,
  role,
  status,
  memberships: subnets.map((subnetId) => ({
    subnetId,
    cohortId: ['patient', 'carer', 'professional'].includes(role) ? 'c1' : null,
    endsAt: null,
  })),
});
const member = person('member', 'patient', [S]);
const conv = (peerModeratorsAllowed: boolean) => ({ subnetId: S, memberId: 'member', peerModeratorsAllowed });

describe('care-team conversation of a member of S', () => {
  it.each([
    ['the member themselves', member, false, 'allow'],
    ['the member, suspended', person('member', 'patient', [S], 'suspended'), false, '404 account_inactive'],
    ['the member, no longer in S', person('member', 'patient', []), false, '404 not_in_subnet'],
    ['clinician of S', person('c', 'clinician', [S]), false, 'allow'],
    ['clinician of another subnet', person('c', 'clinician', ['other']), false, '404 not_owner'],
    ['peer moderator of S, not allowed', person('p', 'peer_moderator', [S]), false, '404 not_owner'],
    ['peer moderator of S, allowed by S', person('p', 'peer_moderator', [S]), true, 'allow'],
    ['another member of S', person('other', 'patient', [S]), true, '404 not_owner'],
    ['admin', person('a', 'admin', []), true, '404 not_owner'],
  ] as const)('%s -> %s', (_n, actor, allowed, expected) => {
    expect(outcome(canOpenCareConversation(actor, conv(allowed), NOW))).toBe(expected);
  });

  it.each([
    ['clinician of S', person('c', 'clinician', [S]), false, 'allow'],
    ['peer moderator of S, not allowed', person('p', 'peer_moderator', [S]), false, '404 role_not_permitted'],
    ['peer moderator of S, allowed', person('p', 'peer_moderator', [S]), true, 'allow'],
    ['member of S', member, true, '404 role_not_permitted'],
    ['admin', person('a', 'admin', []), true, '404 role_not_permitted'],
  ] as const)('the awaiting-reply list: %s -> %s', (_n, actor, allowed, expected) => {
    expect(outcome(canListCareConversations(actor, { id: S, peerModeratorsAllowed: allowed }, NOW))).toBe(expected);
  });

  it.each([
    ['patient of S', 'patient', 'allow'],
    ['carer of S', 'carer', 'allow'],
    ['professional of S (training)', 'professional', '404 role_not_permitted'],
    ['clinician of S', 'clinician', '404 role_not_permitted'],
  ] as const)('writing to a care team: %s -> %s', (_n, role, expected) => {
    expect(outcome(canWriteToCareTeam(person('x', role, [S]), S, NOW))).toBe(expected);
  });
});

describe('notifications and locked threads', () => {
  it("a notification is its owner's alone", () => {
    expect(outcome(canReadNotification(member, { userId: 'member' }))).toBe('allow');
    expect(outcome(canReadNotification(person('other', 'patient', [S]), { userId: 'member' }))).toBe('404 not_owner');
    expect(outcome(canReadNotification(person('a', 'admin', []), { userId: 'member' }))).toBe('404 not_owner');
  });

  const room = { id: 'r', subnetId: S, kind: 'noticeboard' as const, audienceCohortIds: ['c1'] };
  it.each([
    ['member, open thread', member, false, 'allow'],
    ['member, locked thread', member, true, '403 thread_locked'],
    ['peer moderator of S, locked thread', person('p', 'peer_moderator', [S]), true, 'allow'],
    [
      'member of another cohort, open thread',
      { ...member, memberships: [{ subnetId: S, cohortId: 'c2', endsAt: null }] },
      false,
      '404 not_in_cohort',
    ],
  ] as const)('replying: %s -> %s', (_n, actor, locked, expected) => {
    expect(outcome(canReplyToThread(actor, room, { locked }, { mutedUntil: null, readOnlyNow: false }, NOW))).toBe(
      expected,
    );
  });
});
