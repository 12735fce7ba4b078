import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import {
  canListCareConversations,
  canSeeRoom,
  canWriteToCareTeam,
  canActInSubnet,
  isActive,
  isCurrent,
} from '../policy/index.js';
import { authorize, type SubnetAction } from '../policy/index.js';
import { notFound } from '../http/errors.js';
import { findSubnet, findSubnetsWithRooms, type RoomSummary, type SubnetSummary } from './building.repo.js';
import { dutySubnetsOf } from '../safety/duty.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { roomActivityFor, type RoomActivity } from './room-visits.service.js';

export { recordRoomVisit } from './room-visits.service.js';
export type { RoomActivity } from './room-visits.service.js';

/**
 * The building's reads other features use (a room with its subnet's settings, a subnet, its cohorts,
 * the rooms of some subnets): they call these here, never building.repo (STYLE.md §1).
 */
export {
  findRoomDetail,
  findRoomsOfSubnets,
  findSubnet,
  findSubnets,
  listAllSubnets,
  listCohorts,
} from './building.repo.js';
export type { CohortRow, RoomDetail, RoomSummary, SubnetSummary } from './building.repo.js';

/**
 * A subnet for a staff page that acts in it (its keys, moderation queue, questionnaires, measures):
 * read once and asked of the policy once.
 * @throws HttpError 404 for an unknown id; PolicyDenied (hidden: 404) for anyone the action is not for.
 */
export async function subnetFor(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  action: SubnetAction,
  now: Date,
): Promise<SubnetSummary> {
  const subnet = await findSubnet(db, subnetId);
  if (!subnet) throw notFound();
  authorize(canActInSubnet(actor, action, subnet, now));
  return subnet;
}

export interface LobbySubnet extends SubnetSummary {
  rooms: RoomSummary[];
  can: {
    manageKeys: boolean;
    listMembers: boolean;
    moderate: boolean;
    watchedWords: boolean;
    writeToCareTeam: boolean;
    careTeamInbox: boolean;
    goOnDuty: boolean;
    superviseDuty: boolean;
    questionnaires: boolean;
    measures: boolean;
    evaluation: boolean;
  };
  onDuty: boolean;
}

/**
 * The lobby: the subnets the person currently belongs to and, in each, only the rooms the policy
 * lets them see. The same rule answers a direct visit to a room, so list and page always agree.
 */
export async function lobbyFor(db: Db, actor: SessionUser, now: Date): Promise<LobbySubnet[]> {
  if (!isActive(actor)) return [];
  const subnetIds = actor.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId);
  const [{ subnets, rooms }, duty] = await Promise.all([
    findSubnetsWithRooms(db, subnetIds),
    // Only someone who may go on duty somewhere can be on duty: members' lobbies skip the read.
    subnetIds.some((id) => canActInSubnet(actor, 'go_on_duty', { id }, now).allowed)
      ? dutySubnetsOf(db, actor.id)
      : Promise.resolve<string[]>([]),
  ]);
  return subnets.map((s) => ({
    ...s,
    rooms: rooms.filter((r) => r.subnetId === s.id && canSeeRoom(actor, r, now).allowed),
    can: {
      manageKeys: canActInSubnet(actor, 'issue_key', s, now).allowed,
      listMembers: canActInSubnet(actor, 'list_members', s, now).allowed,
      moderate: canActInSubnet(actor, 'moderate_subnet', s, now).allowed,
      watchedWords: canActInSubnet(actor, 'manage_watched_words', s, now).allowed,
      writeToCareTeam: canWriteToCareTeam(actor, s.id, now).allowed,
      careTeamInbox: canListCareConversations(
        actor,
        { id: s.id, peerModeratorsAllowed: s.careTeamIncludesPeerModerators },
        now,
      ).allowed,
      goOnDuty: canActInSubnet(actor, 'go_on_duty', s, now).allowed,
      superviseDuty: canActInSubnet(actor, 'supervise_duty', s, now).allowed,
      questionnaires: canActInSubnet(actor, 'manage_questionnaires', s, now).allowed,
      measures: canActInSubnet(actor, 'manage_measures', s, now).allowed,
      evaluation: canActInSubnet(actor, 'view_evaluation', s, now).allowed,
    },
    onDuty: duty.includes(s.id),
  }));
}

/** A room in the members' lobby, with its life: people there now and what is new since the last visit. */
export interface LobbyRoom extends RoomSummary {
  activity?: RoomActivity;
}

/**
 * The members' lobby: `lobbyFor`, each room the person may enter with its life (issue 15). Read
 * afresh on every load, with the person's memberships of this request: a room they can no longer
 * enter is neither listed nor counted.
 */
export async function memberLobby(
  db: Db,
  realtime: Realtime,
  actor: SessionUser,
  now: Date,
): Promise<(LobbySubnet & { rooms: LobbyRoom[] })[]> {
  const subnets = await lobbyFor(db, actor, now);
  const activity = await roomActivityFor(
    db,
    realtime,
    actor,
    subnets.flatMap((s) => s.rooms),
    now,
  );
  return subnets.map((s) => ({ ...s, rooms: s.rooms.map((r) => ({ ...r, activity: activity.get(r.id) })) }));
}
