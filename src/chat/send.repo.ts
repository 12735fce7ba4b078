import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import { sessionUserQuery, toSessionUser } from '../auth/users.repo.js';
import type { SessionUser } from '../people/person.js';
import { roomDetailQuery, toRoomDetail, type RoomDetail } from '../building/building.repo.js';
import { onDutyQuery, toOnDuty, type OnDutyRow } from '../safety/duty.repo.js';
import type { WatchRule } from '../moderation/watched-words.js';
import { SELECT, toMessage, type MessageRow, type NewMessage } from './chat.repo.js';
import { insertAlert, muteQuery, rulesQuery, toRules } from '../moderation/flags.repo.js';

// Sending a message: the one query that reads its context and the one statement that writes it.

/**
 * Everything a message's checks need, read in ONE round trip: the session still open (when a
 * session id is given), the sender and their memberships as they are now, the room, who is on
 * duty in its subnet, the sender's mute, the watched words, and an earlier message with the same
 * client id (a retry).
 */
export interface SendContext {
  sessionLive: boolean;
  /** When the (live) session expires, to keep it alive: sending is activity. Null without a session id. */
  sessionExpires: Date | null;
  sender: SessionUser | undefined;
  room: RoomDetail | undefined;
  onDuty: OnDutyRow[];
  mutedUntil: Date | null;
  rules: WatchRule[];
  retryOf: MessageRow | undefined;
}

type ContextParams = { userId: string; roomId: string; clientId: string; sid: string | null };

const sendContextQuery = preparedQuery<ContextParams>('chat_send_context', (db, q) => {
  const subnet = db.raw('(SELECT subnet_id FROM rooms WHERE id = ?::uuid)', [q.roomId]);
  const json = (builder: Knex.QueryBuilder) => db.raw('(SELECT row_to_json(x) FROM (?) x)', [builder]);
  const jsonList = (builder: Knex.QueryBuilder) =>
    db.raw(`(SELECT coalesce(json_agg(x), '[]'::json) FROM (?) x)`, [builder]);
  return db.raw(
    `SELECT ? AS session_expires, ? AS sender, ? AS room, ? AS on_duty, ? AS muted_until, ? AS rules, ? AS retry_of`,
    [
      db.raw('(SELECT expire FROM session WHERE sid = ?::text AND expire > now())', [q.sid]),
      json(sessionUserQuery(db, q.userId as string, { unread: false })), // a message needs no unread count
      json(roomDetailQuery(db, q.roomId)),
      jsonList(onDutyQuery(db, subnet)),
      muteQuery(db, q.roomId, q.userId),
      jsonList(rulesQuery(db, subnet, q.roomId)),
      json(
        db('messages as m')
          .join('users as u', 'u.id', 'm.author_id')
          .where({ 'm.author_id': q.userId, 'm.client_id': q.clientId })
          .select(SELECT),
      ),
    ],
  );
});

export async function loadSendContext(
  db: Db,
  q: { userId: string; roomId: string; clientId: string; sid?: string },
): Promise<SendContext> {
  const [r] = (await sendContextQuery(db, { ...q, sid: q.sid ?? null })) as [Record<string, unknown>];
  const sessionExpires = r.session_expires ? new Date(r.session_expires as string | Date) : null;
  return {
    sessionLive: q.sid === undefined || sessionExpires !== null,
    sessionExpires,
    sender: r.sender ? toSessionUser(r.sender as Record<string, unknown>) : undefined,
    room: r.room ? toRoomDetail(r.room as Record<string, unknown>) : undefined,
    onDuty: (r.on_duty as Record<string, unknown>[]).map(toOnDuty),
    mutedUntil: r.muted_until ? new Date(r.muted_until as string | Date) : null,
    rules: toRules(r.rules as Record<string, unknown>[]),
    retryOf: r.retry_of
      ? toMessage({
          ...(r.retry_of as Record<string, unknown>),
          created_at: new Date((r.retry_of as { created_at: string }).created_at),
        })
      : undefined,
  };
}

/**
 * Writes a message in one statement that also applies the flood limit (at most `flood.max` of the
 * author's messages in `flood.seconds`) and ignores a duplicate client id. Alerts, when a rule
 * matched, are written in the same transaction. Returns the new row's id and time, or the reason
 * nothing was written.
 */
const insertGuarded = preparedQuery<
  Omit<NewMessage, 'status'> & { status: string; floodSeconds: number; floodMax: number }
>('chat_insert_message', (db, m) =>
  db.raw(
    `INSERT INTO messages (room_id, author_id, author_role, client_id, body, status, held_reason)
     SELECT ?::uuid, ?::uuid, ?::text, ?::uuid, ?::text, ?::text, ?::text
     WHERE (SELECT count(*) FROM messages WHERE author_id = ?::uuid AND created_at > now() - make_interval(secs => ?::int)) < ?::int
     ON CONFLICT (author_id, client_id) DO NOTHING
     RETURNING id, created_at`,
    [
      m.roomId,
      m.authorId,
      m.authorRole,
      m.clientId,
      m.body,
      m.status,
      m.heldReason,
      m.authorId,
      m.floodSeconds,
      m.floodMax,
    ],
  ),
);

export async function insertMessageGuarded(
  db: Db,
  m: NewMessage,
  flood: { max: number; seconds: number },
  alerts: { subnetId: string; patterns: string[] },
): Promise<{ id: number; createdAt: Date } | 'duplicate' | { retryAfter: number }> {
  const write = async (trx: Db) => {
    const rows = await insertGuarded(trx, { ...m, floodSeconds: flood.seconds, floodMax: flood.max });
    const row = rows[0] as { id: number; created_at: Date } | undefined;
    if (row) for (const pattern of alerts.patterns) await insertAlert(trx, alerts.subnetId, Number(row.id), pattern);
    return row;
  };
  const row = alerts.patterns.length > 0 ? await db.transaction(write) : await write(db);
  if (row) return { id: Number(row.id), createdAt: row.created_at };
  // Nothing written: a concurrent retry, or the flood limit. Only here do we look further.
  const dup = await db('messages').where({ author_id: m.authorId, client_id: m.clientId }).first('id');
  if (dup) return 'duplicate';
  const { rows } = await db.raw(
    `SELECT ceil(extract(epoch FROM min(created_at) + make_interval(secs => ?) - now()))::int AS wait
     FROM (SELECT created_at FROM messages WHERE author_id = ? AND created_at > now() - make_interval(secs => ?) ORDER BY created_at DESC LIMIT ?) recent`,
    [flood.seconds, m.authorId, flood.seconds, flood.max],
  );
  return { retryAfter: Math.max(1, Number(rows[0]?.wait ?? 1)) };
}
