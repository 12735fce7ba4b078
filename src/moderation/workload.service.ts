import type { Db } from '../db/knex.js';
import { countQueues, QUEUE_KINDS, type QueueKind } from './workload.repo.js';

export type { QueueKind } from './workload.repo.js';

/** One kind of queue item in one subnet: how many, and the oldest one's time (null when none). */
export interface QueueWaiting {
  count: number;
  oldest: Date | null;
}

/**
 * What waits in each subnet's moderation queue (held messages, held noticeboard posts, open
 * reports), in one query for all the subnets. Every subnet and kind answers, zero when empty.
 * The caller has asked the policy which subnets the person may moderate.
 */
export async function queuesWaiting(
  db: Db,
  subnetIds: readonly string[],
): Promise<Map<string, Record<QueueKind, QueueWaiting>>> {
  const empty = () =>
    Object.fromEntries(QUEUE_KINDS.map((k) => [k, { count: 0, oldest: null }])) as Record<QueueKind, QueueWaiting>;
  const bySubnet = new Map(subnetIds.map((id) => [id, empty()]));
  for (const r of await countQueues(db, subnetIds)) {
    const waiting = bySubnet.get(r.subnetId);
    if (waiting) waiting[r.kind] = { count: r.count, oldest: r.oldest };
  }
  return bySubnet;
}
