import type { Db } from '../db/knex.js';
import { countAwaiting } from './workload.repo.js';

/**
 * Care-team conversations awaiting a reply in each subnet (how many, the oldest's time), in one query
 * for all of them; zero for a subnet with none. The caller has asked the policy which subnets'
 * care-team inbox the person may list (canListCareConversations).
 */
export async function conversationsAwaiting(
  db: Db,
  subnetIds: readonly string[],
): Promise<Map<string, { count: number; oldest: Date | null }>> {
  const bySubnet = new Map<string, { count: number; oldest: Date | null }>(
    subnetIds.map((id) => [id, { count: 0, oldest: null }]),
  );
  for (const r of await countAwaiting(db, subnetIds)) bySubnet.set(r.subnetId, { count: r.count, oldest: r.oldest });
  return bySubnet;
}
