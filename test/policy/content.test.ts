import { describe, expect, it } from 'vitest';
import {
  canPostWithoutModeration,
  canSeeContent,
  CONTENT_STATUSES,
  listedContentStatuses,
  ROLES,
  type Actor,
  type ContentStatus,
  type Decision,
  type Role,
  type RoomTarget,
} from '../../src/policy/index.js';
import { assertNever } from '../../src/policy/helpers.js';
import { readingGaps, tableGaps } from './completeness.js';

/**
 * shared/ACCESS.md "Content of a room", as data: who sees a draft, a held or declined post, a
 * removed one. 'own' columns are the author looking at their own content.
 */
type Outcome = 'allow' | `404 ${string}`;
const TABLE = {
  'clinician of S': {
    published: 'allow',
    draft: 'allow',
    visible: 'allow',
    held: 'allow',
    declined: 'allow',
    removed: '404 content_removed',
  },
  'peer moderator of S': {
    published: 'allow',
    draft: 'allow',
    visible: 'allow',
    held: 'allow',
    declined: 'allow',
    removed: '404 content_removed',
  },
  'member of S in the audience, the author': {
    published: 'allow',
    draft: '404 not_published',
    visible: 'allow',
    held: 'allow',
    declined: 'allow',
    removed: '404 content_removed',
  },
  'member of S in the audience, not the author': {
    published: 'allow',
    draft: '404 not_published',
    visible: 'allow',
    held: '404 awaiting_moderation',
    declined: '404 awaiting_moderation',
    removed: '404 content_removed',
  },
  'admin (never staff of S)': {
    published: '404 role_not_permitted',
    draft: '404 role_not_permitted',
    visible: '404 role_not_permitted',
    held: '404 role_not_permitted',
    declined: '404 role_not_permitted',
    removed: '404 role_not_permitted',
  },
} as const satisfies Record<string, Record<ContentStatus, Outcome>>;
type Row = keyof typeof TABLE;

const NOW = new Date('2026-11-21T03:00:00Z');
const S = 'subnet-s';
const ROOM: RoomTarget = { id: 'room', subnetId: S, kind: 'noticeboard', audienceCohortIds: ['c'] };
const outcome = (d: Decision) => (d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`);
const actorOf = (role: Role, status: Actor['status'] = 'active'): Actor => ({
  id: 'actor',
  role,
  status,
  memberships: [
    {
      subnetId: S,
      cohortId: role === 'patient' || role === 'carer' || role === 'professional' ? 'c' : null,
      endsAt: null,
    },
  ],
});

/** The row a role falls in (as author or not): one case per role, no default. */
function rowOf(role: Role, author: boolean): Row {
  switch (role) {
    case 'clinician':
      return 'clinician of S';
    case 'peer_moderator':
      return 'peer moderator of S';
    case 'admin':
      return 'admin (never staff of S)';
    case 'patient':
    case 'carer':
    case 'professional':
      return author ? 'member of S in the audience, the author' : 'member of S in the audience, not the author';
    default:
      return assertNever(role);
  }
}

const cases = ROLES.flatMap((role) =>
  [true, false].flatMap((author) =>
    CONTENT_STATUSES.map((status) => {
      const expected = TABLE[rowOf(role, author)][status];
      return {
        name: `${role} | ${author ? 'author' : 'not the author'} | ${status} -> ${expected}`,
        role,
        author,
        status,
        expected,
      };
    }),
  ),
);

describe('content policy, every role x authorship x status', () => {
  it.each(cases)('$name', ({ role, author, status, expected }) => {
    expect(
      outcome(canSeeContent(actorOf(role), ROOM, { status, authorId: author ? 'actor' : 'someone-else' }, NOW)),
    ).toBe(expected);
  });

  it('a suspended clinician, or a member of another cohort, sees nothing of the room, whatever its status', () => {
    const otherCohort: Actor = {
      ...actorOf('patient'),
      memberships: [{ subnetId: S, cohortId: 'other', endsAt: null }],
    };
    for (const status of CONTENT_STATUSES) {
      expect(outcome(canSeeContent(actorOf('clinician', 'suspended'), ROOM, { status, authorId: 'actor' }, NOW))).toBe(
        '404 account_inactive',
      );
      expect(outcome(canSeeContent(otherCohort, ROOM, { status, authorId: 'actor' }, NOW))).toBe('404 not_in_cohort');
    }
  });

  it('every role and status has a row and an outcome; the checker finds a status left out', () => {
    expect(readingGaps(ROLES, (r) => rowOf(r, true), Object.keys(TABLE))).toEqual([]);
    expect(tableGaps(TABLE, Object.keys(TABLE), CONTENT_STATUSES)).toEqual([]);
    const { declined: _left, ...partial } = TABLE['peer moderator of S'];
    expect(tableGaps({ ...TABLE, 'peer moderator of S': partial }, Object.keys(TABLE), CONTENT_STATUSES)).toEqual([
      'peer moderator of S | declined',
    ]);
  });
});

describe('lists agree with the single-object check', () => {
  it.each(ROLES)(
    "%s: every status a list shows (everybody's, or the viewer's own) is one canSeeContent allows",
    (role) => {
      const listed = listedContentStatuses(actorOf(role), ROOM, NOW);
      for (const status of listed.anyone)
        expect(canSeeContent(actorOf(role), ROOM, { status, authorId: 'someone-else' }, NOW).allowed).toBe(true);
      for (const status of listed.own)
        expect(canSeeContent(actorOf(role), ROOM, { status, authorId: 'actor' }, NOW).allowed).toBe(true);
      expect(listed.anyone).not.toContain('removed');
    },
  );

  it('a suspended member is listed nothing', () => {
    expect(listedContentStatuses(actorOf('patient', 'suspended'), ROOM, NOW)).toEqual({ anyone: [], own: [] });
  });
});

describe('staff are never held (one rule for chat and the noticeboard)', () => {
  it.each([
    ['clinician of S', actorOf('clinician'), 'allow'],
    ['peer moderator of S', actorOf('peer_moderator'), 'allow'],
    ['patient in the audience', actorOf('patient'), '403 role_not_permitted'],
    ['carer in the audience', actorOf('carer'), '403 role_not_permitted'],
    ['admin', actorOf('admin'), '404 role_not_permitted'],
    ['suspended peer moderator of S', actorOf('peer_moderator', 'suspended'), '404 account_inactive'],
  ] as const)('%s -> %s', (_n, actor, expected) => {
    expect(outcome(canPostWithoutModeration(actor, ROOM, NOW))).toBe(expected);
  });
});
