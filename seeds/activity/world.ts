import type { Knex } from 'knex';
import type { Role } from '../../src/policy/index.js';
import type { Clock } from './clock.js';
import type { Rng } from './prng.js';
import type { Tally } from './totals.js';

/** Someone who takes part in the generated activity: a demo account or a generated one. */
export interface Person {
  id: string;
  nickname: string;
  role: Role;
  isStaff: boolean;
  /** 0..1: how often they come (drives the outcomes-by-engagement comparison). */
  engagement: number;
  /** Days before today that they joined the subnet (greater than the period: before it). */
  joinedDay: number;
  cohortSlug: string | null;
  privateReference: string | null;
  /** The weeks of the period (0 = this week) in which they come at all. */
  weeks: boolean[];
}

export interface RoomInfo {
  id: string;
  name: string;
  kind: string;
  cohortSlugs: string[];
}

export interface SubnetInfo {
  id: string;
  slug: string;
  cohorts: Map<string, string>;
  rooms: RoomInfo[];
  staff: Person[];
  members: Person[];
}

/** Everything the generators share: the building, the people, the calendar, the random source. */
export interface World {
  clock: Clock;
  rng: Rng;
  tally: Tally;
  subnets: SubnetInfo[];
  helpfulness: { id: string; likertId: string; textId: string | null } | null;
}

/** The members of a subnet who can enter a room (its audience), had joined by that day and come that week. */
export function audienceOn(subnet: SubnetInfo, room: RoomInfo, day: number): Person[] {
  return subnet.members.filter(
    (m) =>
      m.cohortSlug !== null &&
      room.cohortSlugs.includes(m.cohortSlug) &&
      m.joinedDay > day &&
      m.weeks[Math.floor(day / 7)] === true,
  );
}

/**
 * The weeks someone comes: most weeks for the engaged (0.55 and over), some for the others, so that
 * "active in 3 or more weeks of the month" (src/evaluation/outcomes.ts) tells them apart.
 */
export function activeWeeks(rng: Rng, engagement: number, days: number): boolean[] {
  const p = engagement >= 0.55 ? 0.75 + 0.25 * engagement : 0.6 * engagement;
  return Array.from({ length: Math.ceil(days / 7) + 1 }, () => rng.chance(p));
}

/** One of the people, drawn more often the more engaged they are. */
export function pickEngaged(rng: Rng, people: readonly Person[]): Person {
  return people[rng.weighted(people.map((p) => 0.05 + p.engagement))] as Person;
}

/** The subnets, their cohorts and rooms (with audiences), and the demo people in them. */
export async function loadBuilding(trx: Knex.Transaction, rng: Rng, days: number): Promise<SubnetInfo[]> {
  const subnets = await trx('subnets').orderBy('slug').select('id', 'slug');
  const cohorts = await trx('cohorts').orderBy('slug').select('id', 'subnet_id', 'slug');
  const rooms = await trx('rooms as r')
    .leftJoin('room_audiences as a', 'a.room_id', 'r.id')
    .leftJoin('cohorts as c', 'c.id', 'a.cohort_id')
    .groupBy('r.id', 'r.name', 'r.kind', 'r.subnet_id')
    .orderBy('r.name')
    .select(
      'r.id',
      'r.name',
      'r.kind',
      'r.subnet_id',
      trx.raw("coalesce(array_agg(c.slug ORDER BY c.slug) FILTER (WHERE c.slug IS NOT NULL), '{}') AS slugs"),
    );
  const people = await trx('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('cohorts as c', 'c.id', 'm.cohort_id')
    .where('u.status', 'active')
    .orderBy('u.username')
    .select('u.id', 'u.nickname', 'u.role', 'm.subnet_id', 'c.slug as cohort_slug', 'm.private_reference');
  return subnets.map((s) => {
    const mine = people.filter((p) => p.subnet_id === s.id);
    const toPerson = (p: (typeof people)[number], isStaff: boolean): Person => ({
      id: p.id,
      nickname: p.nickname,
      role: p.role,
      isStaff,
      engagement: 0.7,
      joinedDay: 70,
      cohortSlug: p.cohort_slug ?? null,
      privateReference: p.private_reference ?? null,
      weeks: activeWeeks(rng, 0.7, days),
    });
    return {
      id: s.id,
      slug: s.slug,
      cohorts: new Map(cohorts.filter((c) => c.subnet_id === s.id).map((c) => [c.slug, c.id])),
      rooms: rooms
        .filter((r) => r.subnet_id === s.id)
        .map((r) => ({ id: r.id, name: r.name, kind: r.kind, cohortSlugs: r.slugs as string[] })),
      staff: mine.filter((p) => p.cohort_slug === null && p.role !== 'admin').map((p) => toPerson(p, true)),
      members: mine.filter((p) => p.cohort_slug !== null).map((p) => toPerson(p, false)),
    };
  });
}
