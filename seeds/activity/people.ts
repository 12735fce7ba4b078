import type { Role } from '../../src/policy/index.js';
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';
import { activeWeeks, type World, type SubnetInfo, type Person } from './world.js';

// Generated people are plainly fictional: two-word nature nicknames, "Fictional record" references,
// no password (nobody can sign in as them), and usernames that say what they are.
const ADJECTIVES = ['Quiet', 'Brave', 'Gentle', 'Steady', 'Bright', 'Hopeful', 'Calm', 'Kind', 'Early', 'Warm'];
const MORE_ADJECTIVES = ['Wild', 'Soft', 'Open', 'Sunny', 'Misty', 'Patient', 'Little', 'Silver', 'Golden', 'Northern'];
const NOUNS = ['Fern', 'Otter', 'Heron', 'Maple', 'Robin', 'Pebble', 'Harbour', 'Meadow', 'Lantern', 'Acorn'];
const MORE_NOUNS = ['Kestrel', 'Thistle', 'Bramble', 'Wren', 'River', 'Clover', 'Sparrow', 'Birch', 'Moss', 'Comet'];
const STAFF_NAMES = ['Dr Okafor', 'Nurse Bryn', 'Dr Lewis', 'Nurse Carys', 'Dr Hughes', 'Nurse Tomasz', 'Dr Byrne'];

// Members per group; a group not listed gets DEFAULT_MEMBERS.
const MEMBERS: Record<string, number> = {
  'eating-disorders/anorexia': 14,
  'eating-disorders/bulimia': 10,
  'eating-disorders/binge-eating': 8,
  'eating-disorders/recovered': 6,
  'ed-carers/carers': 10,
  'first-step/waiting': 12,
  'perinatal/parents': 8,
  'camhs/young-people': 8,
};
const DEFAULT_MEMBERS = 5;
const CARER_SUBNETS = new Set(['ed-carers', 'asperger-families']);

function roleFor(subnet: string, cohort: string): Role {
  if (CARER_SUBNETS.has(subnet) || (subnet === 'camhs' && cohort === 'parents')) return 'carer';
  if (subnet === 'camhs-schools-training') return 'professional';
  return 'patient';
}

export interface NewUser {
  id: string;
  username: string;
  nickname: string;
  nickname_skeleton: string;
  display_name: string | null;
  role: Role;
  password_hash: null;
  created_at: Date;
}

export interface NewMembership {
  user_id: string;
  subnet_id: string;
  cohort_id: string | null;
  private_reference: string | null;
  started_at: Date;
}

/**
 * Adds generated members to every group and a clinician to every service that has no staff in the
 * demo, to the world; returns the rows to insert. `taken` holds the nickname skeletons in use.
 */
export function generatePeople(world: World, taken: Set<string>): { users: NewUser[]; memberships: NewMembership[] } {
  const { rng, clock, tally } = world;
  const names = [ADJECTIVES, MORE_ADJECTIVES].flatMap((a) =>
    a.flatMap((x) => [...NOUNS, ...MORE_NOUNS].map((n) => `${x} ${n}`)),
  );
  const users: NewUser[] = [];
  const memberships: NewMembership[] = [];
  let serial = 0;
  let staffSerial = 0;
  const nextNickname = (): string => {
    for (;;) {
      const name = names.splice(rng.int(0, names.length - 1), 1)[0];
      if (!name) throw new Error('the demo ran out of nicknames');
      const skeleton = nicknameSkeleton(name);
      if (taken.has(skeleton)) continue;
      taken.add(skeleton);
      return name;
    }
  };
  const add = (
    subnet: SubnetInfo,
    person: Omit<Person, 'id' | 'nickname' | 'weeks'>,
    nickname: string,
    username: string,
  ) => {
    const id = rng.uuid();
    const startedAt = clock.at(person.joinedDay, clock.workingMinute(rng));
    users.push({
      id,
      username,
      nickname,
      nickname_skeleton: nicknameSkeleton(nickname),
      display_name: person.isStaff ? `${nickname} (fictional demo staff)` : null,
      role: person.role,
      password_hash: null,
      created_at: startedAt,
    });
    const cohortId = person.cohortSlug ? (subnet.cohorts.get(person.cohortSlug) ?? null) : null;
    memberships.push({
      user_id: id,
      subnet_id: subnet.id,
      cohort_id: cohortId,
      private_reference: person.privateReference,
      started_at: startedAt,
    });
    const weeks = activeWeeks(rng, person.engagement, clock.days);
    (person.isStaff ? subnet.staff : subnet.members).push({ ...person, id, nickname, weeks });
    tally.row('person', subnet.slug, person.cohortSlug, nickname, person.role, startedAt, person.engagement);
    tally.add(person.isStaff ? 'staff' : 'members');
  };
  for (const subnet of world.subnets) {
    if (subnet.staff.length === 0) {
      const nickname = STAFF_NAMES[staffSerial++] ?? `Dr Demo ${staffSerial}`;
      const base = {
        role: 'clinician' as const,
        isStaff: true,
        engagement: 1,
        joinedDay: 400,
        cohortSlug: null,
        privateReference: null,
      };
      taken.add(nicknameSkeleton(nickname));
      add(subnet, base, nickname, `demo-staff-${subnet.slug}`);
    }
    for (const cohortSlug of subnet.cohorts.keys()) {
      const n = MEMBERS[`${subnet.slug}/${cohortSlug}`] ?? DEFAULT_MEMBERS;
      for (let i = 0; i < n; i++) {
        serial += 1;
        const joinedDay = rng.chance(0.4) ? clock.days + rng.int(10, 150) : rng.int(3, clock.days - 1);
        const person = {
          role: roleFor(subnet.slug, cohortSlug),
          isStaff: false,
          engagement: Math.round(rng.next() ** 0.8 * 100) / 100,
          joinedDay,
          cohortSlug,
          privateReference: `Fictional record GEN-${String(serial).padStart(4, '0')}`,
        };
        add(subnet, person, nextNickname(), `demo-member-${String(serial).padStart(3, '0')}`);
      }
    }
  }
  return { users, memberships };
}
