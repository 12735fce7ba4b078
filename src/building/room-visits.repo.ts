import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';

/**
 * A person's last visit to each room, and what is new in the rooms since. The lobby's counts read
 * the living room's messages, the noticeboard's threads and replies, the library's items and the
 * television's videos in ONE prepared statement (issue 15: at most one more round trip for the
 * lobby), so this repository reads those features' tables itself instead of asking four services.
 * It reads counts only, never a body or a title.
 */

/** Counted up to this many per kind; the lobby says "more than 99" beyond. */
export const COUNT_CAP = 100;

/** What is new in one room since the person's last visit there (zeros for the kinds it does not hold). */
export interface RoomNews {
  roomId: string;
  /** False until the person first opens the room: nothing is "new since your last visit" before one. */
  visited: boolean;
  messages: number;
  threads: number;
  replies: number;
  items: number;
  videos: number;
}

const recordPrepared = preparedQuery<{ user: string; room: string }>('room_visit_record', (db, p) =>
  db.raw(
    `INSERT INTO room_visits (user_id, room_id, seen_at, last_message_id)
     VALUES (?::uuid, ?::uuid, now(), (SELECT max(m.id) FROM messages m WHERE m.room_id = ?::uuid))
     ON CONFLICT (user_id, room_id) DO UPDATE SET seen_at = excluded.seen_at, last_message_id = excluded.last_message_id
     RETURNING last_message_id`,
    [p.user, p.room, p.room],
  ),
);

/**
 * Records that `userId` has just looked at room `roomId` (now, and its newest message so far): one
 * upsert. Returns the newest message id it recorded (0 when the room has none).
 */
export async function upsertRoomVisit(db: Db, userId: string, roomId: string): Promise<number> {
  const [row] = await recordPrepared(db, { user: userId, room: roomId });
  return Number(row?.last_message_id ?? 0);
}

/** At most COUNT_CAP rows of `from` that match `where`, counted (a busy room costs no more than that). */
const capped = (from: string, where: string) =>
  `(SELECT count(*)::int FROM (SELECT 1 FROM ${from} WHERE ${where} LIMIT ${COUNT_CAP}) x)`;

/** A kind's count, or 0 for another kind of room and before the first visit. */
const forKind = (kind: string, count: string) =>
  `CASE WHEN r.kind = '${kind}' AND v.user_id IS NOT NULL THEN ${count} ELSE 0 END`;

// Other people's visible posts and published content only: what the room's page would show the
// person, less what they wrote themselves. `?` 1-3: the person; 4: the person; 5: the rooms.
const newsPrepared = preparedQuery<{ user: string; rooms: string }>('room_news', (db, p) =>
  db.raw(
    `SELECT r.id AS room_id, v.user_id IS NOT NULL AS visited,
       ${forKind(
         'living_room',
         capped(
           'messages m',
           `m.room_id = r.id AND m.id > coalesce(v.last_message_id, 0) AND m.status = 'visible' AND m.author_id <> ?::uuid`,
         ),
       )} AS messages,
       ${forKind(
         'noticeboard',
         capped(
           'threads t',
           `t.room_id = r.id AND t.status = 'visible' AND t.created_at > v.seen_at AND t.author_id <> ?::uuid`,
         ),
       )} AS threads,
       ${forKind(
         'noticeboard',
         capped(
           'threads t JOIN replies p ON p.thread_id = t.id',
           `t.room_id = r.id AND t.status = 'visible' AND t.last_activity_at > v.seen_at
            AND p.status = 'visible' AND p.created_at > v.seen_at AND p.author_id <> ?::uuid`,
         ),
       )} AS replies,
       ${forKind(
         'library',
         capped('library_items i', `i.room_id = r.id AND i.status = 'published' AND i.published_at > v.seen_at`),
       )} AS items,
       ${forKind(
         'television',
         capped('videos t', `t.room_id = r.id AND t.status = 'published' AND t.published_at > v.seen_at`),
       )} AS videos
     FROM rooms r LEFT JOIN room_visits v ON v.room_id = r.id AND v.user_id = ?::uuid
     WHERE r.id = ANY(?::uuid[])`,
    [p.user, p.user, p.user, p.user, p.rooms],
  ),
);

/** What is new for `userId` in each of `roomIds` since their last visit there: one round trip. */
export async function findRoomNews(db: Db, userId: string, roomIds: readonly string[]): Promise<RoomNews[]> {
  if (roomIds.length === 0) return [];
  const rows = await newsPrepared(db, { user: userId, rooms: `{${roomIds.join(',')}}` });
  return rows.map((r) => ({
    roomId: r.room_id as string,
    visited: Boolean(r.visited),
    messages: Number(r.messages),
    threads: Number(r.threads),
    replies: Number(r.replies),
    items: Number(r.items),
    videos: Number(r.videos),
  }));
}

/** A person's visits, for "download my data": which room and when. */
export async function listVisitsOf(db: Db, userId: string): Promise<{ room: string; seenAt: Date }[]> {
  const rows = await db('room_visits as v')
    .join('rooms as r', 'r.id', 'v.room_id')
    .where('v.user_id', userId)
    .orderBy('v.seen_at', 'desc')
    .select('r.name', 'v.seen_at');
  return rows.map((r) => ({ room: r.name as string, seenAt: r.seen_at as Date }));
}

/** Forgets every visit of a person (erasure). */
export async function deleteVisitsOf(db: Db, userId: string): Promise<void> {
  await db('room_visits').where({ user_id: userId }).delete();
}
