import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { Realtime } from '../realtime/realtime.js';
import type { SessionUser } from '../people/person.js';
import { lobbyFor, type LobbySubnet } from '../building/building.service.js';
import { queuesWaiting } from '../moderation/workload.service.js';
import { conversationsAwaiting } from '../care-team/workload.service.js';
import { alertsWaiting, onDutyBySubnet, type OnDutyPerson } from '../safety/workload.service.js';
import { waitingLines, type WaitingLine } from './waiting-lines.js';

export type { WaitingLine } from './waiting-lines.js';

export interface WorkspaceDeps {
  db: Db;
  realtime: Realtime;
  config: Config;
}

/** One subnet on the staff home: what waits, who is on duty, the rooms with people in them now. */
export interface WorkspaceSubnet {
  id: string;
  name: string;
  waiting: WaitingLine[];
  /** Is anything waiting at all (the page says "Nothing is waiting" otherwise). */
  anyWaiting: boolean;
  onDuty: OnDutyPerson[];
  busyRooms: { id: string; name: string; people: number }[];
}

/** The staff home: the "What needs you now" summary of each subnet the person works in, and their lobby (rooms, duty, staff pages). */
export interface StaffHome {
  summary: WorkspaceSubnet[];
  lobby: LobbySubnet[];
}

/**
 * The staff home of a person: for every current subnet where the policy lets them moderate, the
 * counts and the oldest one's age of unacknowledged alerts (overdue ones counted apart), held
 * messages and noticeboard posts, open reports and (where they may read the inbox) care-team
 * conversations awaiting a reply; who is on duty; the rooms with people in them now. Read through
 * each feature's service, one query per feature for all the subnets. Counts only, never text.
 */
export async function staffHome(deps: WorkspaceDeps, actor: SessionUser, now: Date): Promise<StaffHome> {
  const lobby = await lobbyFor(deps.db, actor, now);
  const staffOf = lobby.filter((s) => s.can.moderate);
  const ids = staffOf.map((s) => s.id);
  const careIds = staffOf.filter((s) => s.can.careTeamInbox).map((s) => s.id);
  const [alerts, queues, care, duty, people] = await Promise.all([
    alertsWaiting(deps.db, ids, now, deps.config.safety.escalationMs),
    queuesWaiting(deps.db, ids),
    conversationsAwaiting(deps.db, careIds),
    onDutyBySubnet(deps.db, ids),
    deps.realtime.peopleInRooms(staffOf.flatMap((s) => s.rooms.map((r) => r.id))),
  ]);
  const summary = staffOf.map((s): WorkspaceSubnet => {
    const waiting = waitingLines(s.id, now, {
      alerts: alerts.get(s.id),
      queues: queues.get(s.id),
      care: care.get(s.id),
    });
    return {
      id: s.id,
      name: s.name,
      waiting,
      anyWaiting: waiting.some((w) => w.count > 0),
      onDuty: duty.get(s.id) ?? [],
      busyRooms: s.rooms.flatMap((r) => {
        const n = people.get(r.id) ?? 0;
        return n > 0 ? [{ id: r.id, name: r.name, people: n }] : [];
      }),
    };
  });
  return { summary, lobby };
}
