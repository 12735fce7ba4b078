import type { Db } from '../db/knex.js';

// The moderation side of the staff home (issue 15): what waits in each subnet's queue, counted for
// all of a person's subnets in one query. Counts and ages only: never message text or authors.

export const QUEUE_KINDS = ['held_message', 'held_post', 'open_report'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

export interface QueueCountRow {
  subnetId: string;
  kind: QueueKind;
  count: number;
  oldest: Date;
}

/**
 * Per subnet and kind: held living-room messages, held noticeboard threads and replies, and open
 * reports (of a message, a thread or a reply), with the oldest one's time.
 */
export async function countQueues(db: Db, subnetIds: readonly string[]): Promise<QueueCountRow[]> {
  if (subnetIds.length === 0) return [];
  const { rows } = await db.raw(
    `WITH items AS (
       SELECT r.subnet_id, 'held_message' AS kind, m.created_at AS since
         FROM messages m JOIN rooms r ON r.id = m.room_id
        WHERE r.subnet_id = ANY(:ids::uuid[]) AND m.status = 'held'
       UNION ALL
       SELECT r.subnet_id, 'held_post', t.created_at
         FROM threads t JOIN rooms r ON r.id = t.room_id
        WHERE r.subnet_id = ANY(:ids::uuid[]) AND t.status = 'held'
       UNION ALL
       SELECT r.subnet_id, 'held_post', p.created_at
         FROM replies p JOIN threads t ON t.id = p.thread_id JOIN rooms r ON r.id = t.room_id
        WHERE r.subnet_id = ANY(:ids::uuid[]) AND p.status = 'held'
       UNION ALL
       SELECT r.subnet_id, 'open_report', rp.created_at
         FROM reports rp
         LEFT JOIN messages m ON m.id = rp.message_id
         LEFT JOIN replies p ON p.id = rp.reply_id
         LEFT JOIN threads t ON t.id = coalesce(rp.thread_id, p.thread_id)
         JOIN rooms r ON r.id = coalesce(m.room_id, t.room_id)
        WHERE rp.status = 'open' AND r.subnet_id = ANY(:ids::uuid[]))
     SELECT subnet_id, kind, count(*)::int AS count, min(since) AS oldest FROM items GROUP BY subnet_id, kind`,
    { ids: subnetIds },
  );
  return (rows as Record<string, unknown>[]).map((r) => ({
    subnetId: r.subnet_id as string,
    kind: r.kind as QueueKind,
    count: Number(r.count),
    oldest: r.oldest as Date,
  }));
}
