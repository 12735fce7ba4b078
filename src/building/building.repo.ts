import type { ServiceHours } from '../safety/service-hours.js';
import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import type { RoomKind, RoomTarget } from '../policy/index.js';
import { describeHours } from '../safety/service-hours.js';

export interface RoomSummary extends RoomTarget {
  name: string;
  description: string;
}

export interface RoomDetail extends RoomSummary {
  subnetName: string;
  crisisContacts: string;
  preModerated: boolean;
  cover: 'open' | 'pre_moderated' | 'read_only';
  audience: { id: string; name: string }[];
  /** The subnet's service hours (for the room's cover rule). */
  hours: ServiceHours;
}

export interface SubnetSummary {
  id: string;
  name: string;
  slug: string;
  description: string;
  crisisContacts: string;
  serviceHours: string;
  /** Do the subnet's peer moderators share its care-team conversations? */
  careTeamIncludesPeerModerators: boolean;
  hours: { start: string; end: string; days: number[] };
  chatRetentionDays: number | null;
}

const audienceIds = (db: Db) =>
  db.raw(
    `coalesce((SELECT array_agg(ra.cohort_id::text) FROM room_audiences ra WHERE ra.room_id = r.id), '{}') AS audience_ids`,
  );

function toRoom(r: Record<string, unknown>): RoomSummary {
  return {
    id: r.id as string,
    subnetId: r.subnet_id as string,
    kind: r.kind as RoomKind,
    name: r.name as string,
    description: r.description as string,
    audienceCohortIds: r.audience_ids as string[],
  };
}

const hoursOf = (s: Record<string, unknown>) => ({
  start: s.hours_start as string,
  end: s.hours_end as string,
  days: s.hours_days as number[],
});

const toSubnet = (s: Record<string, unknown>): SubnetSummary => ({
  id: s.id as string,
  name: s.name as string,
  slug: s.slug as string,
  description: s.description as string,
  crisisContacts: s.crisis_contacts as string,
  // Derived from the hours, never the stored free text, so the page and the out-of-hours rule agree.
  serviceHours: describeHours(hoursOf(s)),
  careTeamIncludesPeerModerators: Boolean(s.care_team_includes_peer_moderators),
  hours: hoursOf(s),
  chatRetentionDays: s.chat_retention_days as number | null,
});

/** Subnets by id, by name. */
export async function findSubnets(db: Db, ids: readonly string[]): Promise<SubnetSummary[]> {
  if (ids.length === 0) return [];
  const rows = await db('subnets').whereIn('id', ids).orderBy('name');
  return rows.map(toSubnet);
}

const ROOM_ORDER =
  "array_position(ARRAY['living_room','library','television','noticeboard']::text[], r.kind::text), r.name";

/**
 * The lobby's building in one prepared round trip: the subnets (by name) and all their rooms with
 * their audiences (in the lobby's order). `ids` is a PostgreSQL array literal of subnet ids.
 */
const lobbyPrepared = preparedQuery<{ ids: string }>('lobby_building', (db, p) =>
  db.raw(
    `SELECT
       (SELECT coalesce(json_agg(s ORDER BY s.name), '[]'::json) FROM subnets s WHERE s.id = ANY(?::uuid[])) AS subnets,
       (SELECT coalesce(json_agg(x), '[]'::json) FROM (
          SELECT r.id, r.subnet_id, r.kind, r.name, r.description,
                 coalesce((SELECT array_agg(ra.cohort_id::text) FROM room_audiences ra WHERE ra.room_id = r.id), '{}') AS audience_ids
          FROM rooms r WHERE r.subnet_id = ANY(?::uuid[]) ORDER BY ${ROOM_ORDER}) x) AS rooms`,
    [p.ids, p.ids],
  ),
);

/** The subnets `ids` (by name) and all their rooms (living rooms first, then by name): one round trip. */
export async function findSubnetsWithRooms(
  db: Db,
  ids: readonly string[],
): Promise<{ subnets: SubnetSummary[]; rooms: RoomSummary[] }> {
  if (ids.length === 0) return { subnets: [], rooms: [] };
  const [row] = await lobbyPrepared(db, { ids: `{${ids.join(',')}}` });
  return {
    subnets: (row?.subnets as Record<string, unknown>[]).map(toSubnet),
    rooms: (row?.rooms as Record<string, unknown>[]).map(toRoom),
  };
}

/** All rooms of the given subnets with their audience, in a stable order. */
export async function findRoomsOfSubnets(db: Db, subnetIds: readonly string[]): Promise<RoomSummary[]> {
  if (subnetIds.length === 0) return [];
  const rows = await db('rooms as r')
    .whereIn('r.subnet_id', subnetIds)
    .select('r.*', audienceIds(db))
    .orderByRaw(ROOM_ORDER);
  return rows.map(toRoom);
}

/** One room with its subnet's name and its audience's names; undefined when there is none. */
export async function findRoomDetail(db: Db, id: string): Promise<RoomDetail | undefined> {
  const [row] = await roomDetailPrepared(db, { id });
  return row ? toRoomDetail(row) : undefined;
}

const roomDetailPrepared = preparedQuery<{ id: string }>('room_detail', (db, p) => roomDetailQuery(db, p.id).limit(1));

/** The one query behind a room's detail (every living-room page and chat message starts here). */
export function roomDetailQuery(db: Db, id: string) {
  return db('rooms as r')
    .join('subnets as s', 's.id', 'r.subnet_id')
    .where('r.id', id)
    .select(
      'r.*',
      's.name as subnet_name',
      's.crisis_contacts',
      's.hours_start',
      's.hours_end',
      's.hours_days',
      audienceIds(db),
      db.raw(
        `coalesce((SELECT json_agg(json_build_object('id', c.id, 'name', c.name) ORDER BY c.name) FROM room_audiences ra JOIN cohorts c ON c.id = ra.cohort_id WHERE ra.room_id = r.id), '[]'::json) AS audience`,
      ),
    );
}

export function toRoomDetail(row: Record<string, unknown>): RoomDetail {
  return {
    ...toRoom(row),
    subnetName: row.subnet_name as string,
    crisisContacts: row.crisis_contacts as string,
    preModerated: Boolean(row.pre_moderated),
    cover: row.cover as RoomDetail['cover'],
    audience: row.audience as { id: string; name: string }[],
    hours: {
      start: row.hours_start as string,
      end: row.hours_end as string,
      days: row.hours_days as ServiceHours['days'],
    },
  };
}

export interface CohortRow {
  id: string;
  subnetId: string;
  name: string;
  slug: string;
}

/** One subnet; undefined when there is none. */
export async function findSubnet(db: Db, id: string): Promise<SubnetSummary | undefined> {
  const [s] = await findSubnets(db, [id]);
  return s;
}

/** Every subnet, by name. */
export async function listAllSubnets(db: Db): Promise<SubnetSummary[]> {
  const ids = await db('subnets').pluck('id');
  return findSubnets(db, ids);
}

/** The cohorts of a subnet, by name. */
export async function listCohorts(db: Db, subnetId: string): Promise<CohortRow[]> {
  const rows = await db('cohorts').where({ subnet_id: subnetId }).orderBy('name');
  return rows.map((c) => ({ id: c.id, subnetId: c.subnet_id, name: c.name, slug: c.slug }));
}
