import { describe, expect, it } from 'vitest';
import {
  canPostMessage,
  canActInRoom,
  ROLES,
  ROOM_ACTIONS,
  ROOM_KINDS,
  type Actor,
  type DenyReason,
  type Role,
  type RoomAction,
  type RoomKind,
  type RoomTarget,
} from '../../src/policy/index.js';
import { assertNever } from '../../src/policy/helpers.js';
import { readingGaps, tableGaps } from './completeness.js';

/**
 * shared/ACCESS.md "Rooms", as data a clinician can review. Each situation lists the outcome of
 * every room action: 'allow', or the denial's status (404 hides the room, 403 acknowledges it)
 * and reason.
 */
type Outcome = 'allow' | `404 ${DenyReason}` | `403 ${DenyReason}`;
const SITUATIONS = {
  'clinician of S': {
    see: 'allow',
    enter: 'allow',
    post: 'allow',
    report: 'allow',
    moderate: 'allow',
    manage_items: 'allow',
  },
  'peer moderator of S': {
    see: 'allow',
    enter: 'allow',
    post: 'allow',
    report: 'allow',
    moderate: 'allow',
    manage_items: '403 role_not_permitted',
  },
  'member of S, cohort in audience': {
    see: 'allow',
    enter: 'allow',
    post: 'allow',
    report: 'allow',
    moderate: '403 role_not_permitted',
    manage_items: '403 role_not_permitted',
  },
  'member of S, cohort not in audience': all('404 not_in_cohort'),
  'admin with a membership of S (admins are never staff of S)': all('404 role_not_permitted'),
  'not in S': all('404 not_in_subnet'),
  'membership of S ended': all('404 membership_ended'),
  'account suspended': all('404 account_inactive'),
} as const satisfies Record<string, Record<RoomAction, Outcome>>;
type Situation = keyof typeof SITUATIONS;

function all(o: Outcome): Record<RoomAction, Outcome> {
  return Object.fromEntries(ROOM_ACTIONS.map((a) => [a, o])) as Record<RoomAction, Outcome>;
}

const S = 'subnet-s';
const OTHER = 'subnet-other';
const IN_AUDIENCE = 'cohort-anorexia';
const NOT_IN_AUDIENCE = 'cohort-bulimia';
const NOW = new Date('2026-11-21T03:00:00Z');
const PAST = new Date('2026-11-01T00:00:00Z');
const FUTURE = new Date('2027-01-01T00:00:00Z');

const MEMBERSHIPS = ['none', 'current in S', 'ended in S', 'ending later in S', 'only another subnet'] as const;
const COHORTS = ['in audience', 'not in audience'] as const;
const STATUSES = ['active', 'suspended', 'erased'] as const;

/**
 * Which row of the table a role with a current membership of S falls in: ACCESS.md's column
 * headings, one case per role and no default, so a new role does not compile (and, forced past
 * the compiler, throws) until it has a row.
 */
function rowOfRoleInS(role: Role, cohort: (typeof COHORTS)[number]): Situation {
  switch (role) {
    case 'clinician':
      return 'clinician of S';
    case 'peer_moderator':
      return 'peer moderator of S';
    case 'admin':
      return 'admin with a membership of S (admins are never staff of S)';
    case 'patient':
    case 'carer':
    case 'professional':
      return cohort === 'in audience' ? 'member of S, cohort in audience' : 'member of S, cohort not in audience';
    default:
      return assertNever(role);
  }
}

/** Which row of the table a combination falls in. */
function situationOf(
  role: Role,
  membership: (typeof MEMBERSHIPS)[number],
  cohort: (typeof COHORTS)[number],
  status: string,
): Situation {
  const row = rowOfRoleInS(role, cohort);
  if (status !== 'active') return 'account suspended';
  if (membership === 'none' || membership === 'only another subnet') return 'not in S';
  if (membership === 'ended in S') return 'membership of S ended';
  return row;
}

/** What each room kind is, for the cases' names: one case per kind, so a new kind does not compile until it is named here. */
function kindName(kind: RoomKind): string {
  switch (kind) {
    case 'living_room':
      return 'living room';
    case 'library':
      return 'library';
    case 'television':
      return 'television';
    case 'noticeboard':
      return 'noticeboard';
    default:
      return assertNever(kind);
  }
}

/** What each room action is, for the cases' names: one case per action (a new action does not compile until named). */
function actionName(action: RoomAction): string {
  switch (action) {
    case 'see':
      return 'see listed';
    case 'enter':
      return 'enter';
    case 'post':
      return 'post';
    case 'report':
      return 'report';
    case 'moderate':
      return 'moderate';
    case 'manage_items':
      return 'add or edit items';
    default:
      return assertNever(action);
  }
}

function actorFor(
  role: Role,
  membership: (typeof MEMBERSHIPS)[number],
  cohort: (typeof COHORTS)[number],
  status: (typeof STATUSES)[number],
): Actor {
  const isMember = role === 'patient' || role === 'carer' || role === 'professional';
  const cohortId = isMember ? (cohort === 'in audience' ? IN_AUDIENCE : NOT_IN_AUDIENCE) : null;
  const m = (subnetId: string, endsAt: Date | null) => [{ subnetId, cohortId, endsAt }];
  const memberships = {
    none: [],
    'current in S': m(S, null),
    'ended in S': m(S, PAST),
    'ending later in S': m(S, FUTURE),
    'only another subnet': m(OTHER, null),
  }[membership];
  return { id: 'actor', role, status, memberships };
}

const cases: { name: string; actor: Actor; room: RoomTarget; action: RoomAction; expected: Outcome }[] = [];
for (const role of ROLES)
  for (const membership of MEMBERSHIPS)
    for (const cohort of COHORTS)
      for (const status of STATUSES)
        for (const kind of ROOM_KINDS)
          for (const action of ROOM_ACTIONS) {
            const situation = situationOf(role, membership, cohort, status);
            const expected = SITUATIONS[situation][action];
            cases.push({
              name: `${role} | ${membership}, cohort ${cohort}, ${status} | ${actionName(action)} ${kindName(kind)} -> ${expected}`,
              actor: actorFor(role, membership, cohort, status),
              room: { id: 'room', subnetId: S, kind, audienceCohortIds: [IN_AUDIENCE] },
              action,
              expected,
            });
          }

function outcomeOf(actor: Actor, action: RoomAction, room: RoomTarget): Outcome {
  const d = canActInRoom(actor, action, room, NOW);
  return d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`;
}

describe('room policy, every role x membership x cohort x status x kind x action', () => {
  it.each(cases)('$name', ({ actor, action, room, expected }) => {
    expect(outcomeOf(actor, action, room)).toBe(expected);
  });
});

describe('room policy completeness', () => {
  const rows = Object.keys(SITUATIONS);
  it('every role of the policy has a row of the table, and every row an outcome for every action of the policy', () => {
    expect(readingGaps(ROLES, (role) => rowOfRoleInS(role, 'in audience'), rows)).toEqual([]);
    expect(readingGaps(ROLES, (role) => rowOfRoleInS(role, 'not in audience'), rows)).toEqual([]);
    expect(readingGaps(ROOM_KINDS, kindName, ROOM_KINDS.map(kindName))).toEqual([]);
    expect(readingGaps(ROOM_ACTIONS, actionName, ROOM_ACTIONS.map(actionName))).toEqual([]);
    expect(tableGaps(SITUATIONS, rows, ROOM_ACTIONS)).toEqual([]);
  });

  it('the checker fails on a table missing an action, and on a role, kind or action it has no rule for (never read as a member)', () => {
    const { manage_items: _dropped, ...withoutManage } = SITUATIONS['peer moderator of S'];
    expect(tableGaps({ ...SITUATIONS, 'peer moderator of S': withoutManage }, rows, ROOM_ACTIONS)).toEqual([
      'peer moderator of S | manage_items',
    ]);
    const withNurse = [...ROLES, 'nurse'] as Role[];
    expect(readingGaps(withNurse, (role) => rowOfRoleInS(role, 'in audience'), rows)).toEqual(['nurse (no rule)']);
    expect(readingGaps([...ROOM_KINDS, 'garden'] as RoomKind[], kindName, ROOM_KINDS.map(kindName))).toEqual([
      'garden (no rule)',
    ]);
    expect(
      readingGaps([...ROOM_ACTIONS, 'teleport'] as RoomAction[], actionName, ROOM_ACTIONS.map(actionName)),
    ).toEqual(['teleport (no rule)']);
    expect(
      readingGaps(ROLES, (role) => (role === 'carer' ? 'carer of S' : rowOfRoleInS(role, 'in audience')), rows),
    ).toEqual(['carer -> carer of S (no such row)']);
  });

  it('denies an action it has no rule for', () => {
    const actor = actorFor('clinician', 'current in S', 'in audience', 'active');
    expect(() =>
      canActInRoom(
        actor,
        'teleport' as RoomAction,
        { id: 'r', subnetId: S, kind: 'library', audienceCohortIds: [] },
        NOW,
      ),
    ).toThrow(/No rule/);
  });

  it('a room for the whole subnet lists every cohort: anorexia and bulimia both enter, carers of another subnet do not', () => {
    const room: RoomTarget = {
      id: 'r',
      subnetId: S,
      kind: 'library',
      audienceCohortIds: [IN_AUDIENCE, NOT_IN_AUDIENCE],
    };
    expect(outcomeOf(actorFor('patient', 'current in S', 'in audience', 'active'), 'enter', room)).toBe('allow');
    expect(outcomeOf(actorFor('patient', 'current in S', 'not in audience', 'active'), 'enter', room)).toBe('allow');
    expect(outcomeOf(actorFor('carer', 'only another subnet', 'in audience', 'active'), 'enter', room)).toBe(
      '404 not_in_subnet',
    );
  });
});

describe('posting while the room is read-only (cover rule, nobody on duty)', () => {
  const room: RoomTarget = { id: 'r', subnetId: S, kind: 'living_room', audienceCohortIds: [IN_AUDIENCE] };
  it.each([
    ['patient in the audience', 'patient', '403 read_only_now'],
    ['clinician of S (staff post whatever the cover)', 'clinician', 'allow'],
  ] as const)('%s -> %s', (_n, role, expected) => {
    const d = canPostMessage(
      actorFor(role, 'current in S', 'in audience', 'active'),
      room,
      { mutedUntil: null, readOnlyNow: true },
      NOW,
    );
    expect(d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`).toBe(expected);
  });
});

describe('posting while muted', () => {
  const room: RoomTarget = { id: 'r', subnetId: S, kind: 'living_room', audienceCohortIds: [IN_AUDIENCE] };
  const later = new Date(NOW.getTime() + 60_000);
  const earlier = new Date(NOW.getTime() - 60_000);
  it.each([
    ['patient in the audience, muted until later', 'patient', later, '403 muted'],
    ['patient in the audience, mute over', 'patient', earlier, 'allow'],
    ['patient in the audience, never muted', 'patient', null, 'allow'],
    ['peer moderator of S, "muted" (staff are never muted)', 'peer_moderator', later, 'allow'],
  ] as const)('%s -> %s', (_n, role, until, expected) => {
    const d = canPostMessage(
      actorFor(role, 'current in S', 'in audience', 'active'),
      room,
      { mutedUntil: until, readOnlyNow: false },
      NOW,
    );
    expect(d.allowed ? 'allow' : `${d.hide ? '404' : '403'} ${d.reason}`).toBe(expected);
  });
  it('a muted patient of another cohort still gets 404, not 403', () => {
    const d = canPostMessage(
      actorFor('patient', 'current in S', 'not in audience', 'active'),
      room,
      { mutedUntil: later, readOnlyNow: false },
      NOW,
    );
    expect(d).toEqual({ allowed: false, reason: 'not_in_cohort', hide: true });
  });
});
