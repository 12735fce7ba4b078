import type { Db } from '../db/knex.js';
import type { Role } from '../policy/index.js';

// What a handover hands over: the subnet's open items and the last handover note.

export const OPEN_ITEM_KINDS = ['alert', 'held_message', 'held_post', 'care_conversation'] as const;
export type OpenItemKind = (typeof OPEN_ITEM_KINDS)[number];

/** Something in a subnet still waiting for staff: ids, the room's name and since when (never text). */
export interface OpenItem {
  kind: OpenItemKind;
  roomId: string | null;
  roomName: string | null;
  since: Date;
}

export interface OpenItems {
  /** The oldest first, at most `limit` of them. */
  items: OpenItem[];
  /** How many of each kind there are in all. */
  counts: Record<OpenItemKind, number>;
  total: number;
}

/**
 * A subnet's open items: unacknowledged watched-word alerts (chat messages, threads, replies), held
 * chat messages, held noticeboard threads and replies, and care-team conversations awaiting a reply.
 */
export async function listOpenItems(db: Db, subnetId: string, limit = 100): Promise<OpenItems> {
  const { rows } = await db.raw(
    `WITH items AS (
       SELECT 'alert' AS kind, r.id AS room_id, r.name AS room_name, a.created_at AS since
         FROM alerts a
         LEFT JOIN messages m ON m.id = a.message_id
         LEFT JOIN replies p ON p.id = a.reply_id
         LEFT JOIN threads t ON t.id = coalesce(a.thread_id, p.thread_id)
         LEFT JOIN rooms r ON r.id = coalesce(m.room_id, t.room_id)
        WHERE a.subnet_id = :subnet AND a.acknowledged_at IS NULL
       UNION ALL
       SELECT 'held_message', r.id, r.name, m.created_at FROM messages m JOIN rooms r ON r.id = m.room_id
        WHERE r.subnet_id = :subnet AND m.status = 'held'
       UNION ALL
       SELECT 'held_post', r.id, r.name, t.created_at FROM threads t JOIN rooms r ON r.id = t.room_id
        WHERE r.subnet_id = :subnet AND t.status = 'held'
       UNION ALL
       SELECT 'held_post', r.id, r.name, p.created_at FROM replies p JOIN threads t ON t.id = p.thread_id JOIN rooms r ON r.id = t.room_id
        WHERE r.subnet_id = :subnet AND p.status = 'held'
       UNION ALL
       SELECT 'care_conversation', NULL, NULL, c.awaiting_since FROM care_conversations c
        WHERE c.subnet_id = :subnet AND c.awaiting_since IS NOT NULL)
     SELECT kind, room_id, room_name, since, count(*) OVER (PARTITION BY kind) AS of_kind FROM items ORDER BY since, kind LIMIT :limit`,
    { subnet: subnetId, limit },
  );
  const counts = Object.fromEntries(OPEN_ITEM_KINDS.map((k) => [k, 0])) as Record<OpenItemKind, number>;
  const items = (rows as Record<string, unknown>[]).map((r) => {
    counts[r.kind as OpenItemKind] = Number(r.of_kind);
    return {
      kind: r.kind as OpenItemKind,
      roomId: r.room_id as string | null,
      roomName: r.room_name as string | null,
      since: r.since as Date,
    };
  });
  // A kind whose every item fell past the limit still counts: ask for those counts on their own.
  if (items.length === limit) Object.assign(counts, await countOpenItems(db, subnetId));
  return { items, counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
}

async function countOpenItems(db: Db, subnetId: string): Promise<Record<OpenItemKind, number>> {
  const { rows } = await db.raw(
    `SELECT (SELECT count(*) FROM alerts WHERE subnet_id = :subnet AND acknowledged_at IS NULL) AS alert,
            (SELECT count(*) FROM messages m JOIN rooms r ON r.id = m.room_id WHERE r.subnet_id = :subnet AND m.status = 'held') AS held_message,
            (SELECT count(*) FROM threads t JOIN rooms r ON r.id = t.room_id WHERE r.subnet_id = :subnet AND t.status = 'held')
          + (SELECT count(*) FROM replies p JOIN threads t ON t.id = p.thread_id JOIN rooms r ON r.id = t.room_id WHERE r.subnet_id = :subnet AND p.status = 'held') AS held_post,
            (SELECT count(*) FROM care_conversations WHERE subnet_id = :subnet AND awaiting_since IS NOT NULL) AS care_conversation`,
    { subnet: subnetId },
  );
  const r = (rows as Record<string, unknown>[])[0] ?? {};
  return Object.fromEntries(OPEN_ITEM_KINDS.map((k) => [k, Number(r[k] ?? 0)])) as Record<OpenItemKind, number>;
}

/** The last handover note left in a subnet: who left it (public name and role) and when. */
export interface HandoverNote {
  nickname: string;
  role: Role;
  endedAt: Date;
  note: string;
}

export async function findLastHandover(db: Db, subnetId: string): Promise<HandoverNote | undefined> {
  const r = await db('duty_sessions as d')
    .join('users as u', 'u.id', 'd.user_id')
    .where('d.subnet_id', subnetId)
    .whereNotNull('d.ended_at')
    .whereNotNull('d.handover_note')
    .orderBy('d.ended_at', 'desc')
    .first('u.nickname', 'u.role', 'd.ended_at', 'd.handover_note');
  return r ? { nickname: r.nickname, role: r.role, endedAt: r.ended_at, note: r.handover_note } : undefined;
}

/** When the person's open duty in a subnet started, or null when they are not on duty there. */
export async function findOpenDutyStart(db: Db, userId: string, subnetId: string): Promise<Date | null> {
  const r = await db('duty_sessions')
    .where({ user_id: userId, subnet_id: subnetId })
    .whereNull('ended_at')
    .first('started_at');
  return r ? (r.started_at as Date) : null;
}
