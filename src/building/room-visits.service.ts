import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import type { SessionUser } from '../people/person.js';
import { canActInRoom } from '../policy/index.js';
import type { RoomSummary } from './building.repo.js';
import { findRoomNews, upsertRoomVisit } from './room-visits.repo.js';
import { newsWords, peopleHereWords, type RoomActivity } from './activity-words.js';

export type { RoomActivity } from './activity-words.js';

/**
 * Records that the person has just looked at a room (its page opened, or its live view left): one
 * upsert. Call it only once the policy has let them enter the room.
 */
export async function recordRoomVisit(db: Db, userId: string, roomId: string): Promise<void> {
  await upsertRoomVisit(db, userId, roomId);
}

/** A re-view within this long of the visit this process last wrote may skip the write (`VisitRecorder`). */
export const VISIT_REWRITE_MS = 60_000;
const MAX_REMEMBERED = 50_000;

export interface VisitRecorder {
  /**
   * Records a room page's view as a visit, like `recordRoomVisit`, but skips the write when this
   * process recorded the person's visit to the room under a minute ago with the same newest message:
   * `newestMessageId` is the living room's newest message id (any status) read with its latest page
   * (undefined for other kinds of room and for older pages, which always write). The write would
   * store that same id, and the lobby's "new since your last visit" reads only the id for living
   * rooms, so skipping changes none of its counts; the visit's time stays within a minute.
   */
  record(userId: string, roomId: string, newestMessageId: number | undefined): Promise<void>;
}

/**
 * One per app: what this process last wrote for each person and room. Another process's write can
 * only have moved the stored visit later, so a skip judged on this process's own write stays right.
 */
export function createVisitRecorder(db: Db, clock: () => number = Date.now): VisitRecorder {
  const written = new Map<string, { at: number; lastMessageId: number }>();
  return {
    async record(userId, roomId, newestMessageId) {
      const key = `${userId}:${roomId}`;
      const last = written.get(key);
      const now = clock();
      if (
        last &&
        newestMessageId !== undefined &&
        now - last.at < VISIT_REWRITE_MS &&
        newestMessageId <= last.lastMessageId
      )
        return;
      const lastMessageId = await upsertRoomVisit(db, userId, roomId);
      if (written.size >= MAX_REMEMBERED) written.clear();
      written.set(key, { at: now, lastMessageId });
    },
  };
}

/**
 * Presence is asked of every node; one that went away unannounced would hold the lobby for the
 * adapter's whole request timeout (5 s). Past this, the lobby loads without "people here now".
 */
const PRESENCE_WAIT_MS = 1000;

/** How many people are in each living room now; undefined when presence cannot be read in time (the lobby still loads). */
async function peopleIn(realtime: Realtime, livingRoomIds: string[]): Promise<Map<string, number> | undefined> {
  if (livingRoomIds.length === 0) return new Map();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, PRESENCE_WAIT_MS, undefined);
  });
  try {
    return await Promise.race([realtime.peopleInRooms(livingRoomIds).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The life of each room `actor` may enter among `rooms`: people there now (living rooms, one
 * presence read across nodes, skipped when there is none) and what is new since their last visit
 * (one round trip for all rooms). A room the policy does not let them enter gets nothing, and is
 * not even asked about: the lobby must not list it anyway.
 */
export async function roomActivityFor(
  db: Db,
  realtime: Realtime,
  actor: SessionUser,
  rooms: readonly RoomSummary[],
  now: Date,
): Promise<Map<string, RoomActivity>> {
  const open = rooms.filter((r) => canActInRoom(actor, 'enter', r, now).allowed);
  const openIds = open.map((r) => r.id);
  const livingRooms = open.filter((r) => r.kind === 'living_room').map((r) => r.id);
  const [news, people] = await Promise.all([findRoomNews(db, actor.id, openIds), peopleIn(realtime, livingRooms)]);
  const newsOf = new Map(news.map((n) => [n.roomId, n]));
  const activity = (r: RoomSummary): RoomActivity => ({
    ...(r.kind === 'living_room' && people ? { here: peopleHereWords(people.get(r.id) ?? 0) } : {}),
    ...newsWords(r.kind, newsOf.get(r.id)),
  });
  return new Map(open.map((r) => [r.id, activity(r)]));
}
