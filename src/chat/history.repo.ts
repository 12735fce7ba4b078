import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import { roomDetailQuery, toRoomDetail, type RoomDetail } from '../building/building.repo.js';
import { onDutyQuery, toOnDuty, type OnDutyRow } from '../safety/duty.repo.js';
import { SELECT, SHOWN, toMessage, type MessageRow, type ShownMessageRow } from './chat.repo.js';

// A room's history: pages of visible messages (keyset on the room index), a reader's own held
// messages, and the living-room page's single query. The busiest reads: prepared statements.

export interface PageOpts {
  beforeId?: number;
  afterId?: number;
  limit: number;
}

/** Visible messages of a room (keyset on the (room_id, id) index): the newest, before an id, or after one. */
// The keyset is written on (room_id, id) as a row comparison, with a range (not an equality) on
// room_id and ORDER BY room_id, id: only the (room_id, id) index can give that order, so PostgreSQL
// always seeks there. With `room_id = $1 AND id < $2 ORDER BY id` it may walk the primary key back
// from $2 instead, filtering other rooms' messages: 5 to 200 ms instead of 0.2 ms when a room's
// messages are sparse or far back (measured with `npm run bench`).
const NEWEST = '9223372036854775807';

function visibleQuery(db: Db, roomId: string, opts: PageOpts, columns: readonly string[] = SELECT) {
  const q = db('messages as m').join('users as u', 'u.id', 'm.author_id').whereRaw("m.status = 'visible'");
  if (opts.afterId !== undefined) {
    return q
      .whereRaw('(m.room_id, m.id) > (?::uuid, ?::bigint)', [roomId, opts.afterId])
      .where('m.room_id', '<=', roomId)
      .orderBy([
        { column: 'm.room_id', order: 'asc' },
        { column: 'm.id', order: 'asc' },
      ])
      .limit(opts.limit)
      .select(columns);
  }
  return q
    .whereRaw('(m.room_id, m.id) < (?::uuid, ?::bigint)', [roomId, opts.beforeId ?? NEWEST])
    .where('m.room_id', '>=', roomId)
    .orderBy([
      { column: 'm.room_id', order: 'desc' },
      { column: 'm.id', order: 'desc' },
    ])
    .limit(opts.limit)
    .select(columns);
}

/** Oldest first, whichever way the query ran. */
const inOrder = (rows: MessageRow[], opts: PageOpts) => (opts.afterId !== undefined ? rows : rows.reverse());

/** Visible messages of a room, oldest first: the newest page, before an id, or after one. */
export async function listMessages(db: Db, roomId: string, opts: PageOpts): Promise<MessageRow[]> {
  return inOrder(
    (await historyPrepared(opts)(db, { roomId, before: opts.beforeId ?? null, after: opts.afterId ?? null })).map(
      toMessage,
    ),
    opts,
  );
}

/**
 * The history queries as prepared statements, one per shape (newest, before, after) and page size:
 * opening a room and "load older messages" are the busiest reads.
 */
type Cursor = { roomId: string; before: number | null; after: number | null };
const shapeOf = (opts: PageOpts) =>
  `${opts.afterId !== undefined ? 'after' : opts.beforeId !== undefined ? 'before' : 'latest'}_${opts.limit}`;
/** The shape comes from `opts` (the statement's), the values from `p` (tokens while compiling). */
const fromCursor = (p: Cursor, opts: PageOpts): PageOpts => ({
  limit: opts.limit,
  ...(opts.beforeId !== undefined ? { beforeId: p.before as number } : {}),
  ...(opts.afterId !== undefined ? { afterId: p.after as number } : {}),
});
const historyStatements = new Map<string, ReturnType<typeof preparedQuery<Cursor>>>();
function historyPrepared(opts: PageOpts) {
  const key = shapeOf(opts);
  let q = historyStatements.get(key);
  if (!q) {
    q = preparedQuery<Cursor>(`chat_history_${key}`, (db, p) => visibleQuery(db, p.roomId, fromCursor(p, opts)));
    historyStatements.set(key, q);
  }
  return q;
}
const OWN_HELD_LIMIT = 20;

/** An author's own messages in a room that are waiting (held) or were declined this week. */
function ownHeldQuery(db: Db, roomId: string, authorId: string) {
  return (
    db('messages as m')
      .join('users as u', 'u.id', 'm.author_id')
      // A literal status list, so that a prepared (generic) plan can use messages_own_pending_idx.
      .where({ 'm.room_id': roomId, 'm.author_id': authorId })
      .whereRaw("m.status IN ('held', 'declined')")
      .where((q) =>
        q
          .where('m.status', 'held')
          .orWhere((d) =>
            d.where('m.status', 'declined').where('m.moderated_at', '>', db.raw("now() - interval '7 days'")),
          ),
      )
      .orderBy('m.id', 'desc')
      .limit(OWN_HELD_LIMIT)
      .select(SHOWN)
  );
}

/**
 * A living room's page in one round trip: the room, who is on duty in its subnet, a page of
 * visible messages and the reader's own held or declined ones. The caller checks the policy on the
 * room before it uses any of the rest (which is read anyway, to save the round trip).
 */
export interface LivingRoomPage {
  room: RoomDetail;
  onDuty: OnDutyRow[];
  /** Only what the page shows of each (no author or client ids: ShownMessageRow). */
  visible: ShownMessageRow[];
  own: ShownMessageRow[];
  /** The room's newest message id in any status (0 for none): what a visit records as seen. */
  newestMessageId: number;
}

const livingRoomPageStatements = new Map<string, ReturnType<typeof preparedQuery<Cursor & { readerId: string }>>>();
function livingRoomPagePrepared(opts: PageOpts) {
  const key = shapeOf(opts);
  let q = livingRoomPageStatements.get(key);
  if (!q) {
    q = preparedQuery<Cursor & { readerId: string }>(`chat_living_room_page_${key}`, (db, p) => {
      const subnet = db.raw('(SELECT subnet_id FROM rooms WHERE id = ?::uuid)', [p.roomId]);
      const list = `(SELECT coalesce(json_agg(x), '[]'::json) FROM (?) x)`;
      return db.raw(
        `SELECT (SELECT row_to_json(x) FROM (?) x) AS room, ${list} AS on_duty, ${list} AS visible, ${list} AS own,
           (SELECT max(m.id) FROM messages m WHERE m.room_id = ?::uuid) AS newest_id`,
        [
          roomDetailQuery(db, p.roomId),
          onDutyQuery(db, subnet),
          visibleQuery(db, p.roomId, fromCursor(p, opts), SHOWN),
          ownHeldQuery(db, p.roomId, p.readerId),
          p.roomId,
        ],
      );
    });
    livingRoomPageStatements.set(key, q);
  }
  return q;
}

/** A page's message (its room is the page's: not read per row). */
const shownFrom =
  (roomId: string) =>
  (r: Record<string, unknown>): ShownMessageRow => ({
    id: Number(r.id),
    roomId,
    authorNickname: r.nickname as string,
    // As toMessage: the role the author wrote with, the current one only for rows written without it.
    authorRole: (r.author_role ?? r.role) as ShownMessageRow['authorRole'],
    body: r.body as string,
    status: r.status as ShownMessageRow['status'],
    createdAt: new Date(r.created_at as string),
  });
const byId = (a: ShownMessageRow, b: ShownMessageRow) => a.id - b.id;

export async function findLivingRoomPage(
  db: Db,
  roomId: string,
  readerId: string,
  opts: PageOpts,
): Promise<LivingRoomPage | undefined> {
  const [r] = (await livingRoomPagePrepared(opts)(db, {
    roomId,
    readerId,
    before: opts.beforeId ?? null,
    after: opts.afterId ?? null,
  })) as [Record<string, unknown>];
  if (!r.room) return undefined;
  return {
    room: toRoomDetail(r.room as Record<string, unknown>),
    onDuty: (r.on_duty as Record<string, unknown>[]).map(toOnDuty),
    visible: (r.visible as Record<string, unknown>[]).map(shownFrom(roomId)).sort(byId),
    own: (r.own as Record<string, unknown>[]).map(shownFrom(roomId)).sort(byId),
    newestMessageId: Number(r.newest_id ?? 0),
  };
}
