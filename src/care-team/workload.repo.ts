import type { Db } from '../db/knex.js';

/**
 * Care-team conversations awaiting a staff reply, per subnet: how many and since when the oldest
 * has waited (issue 15, the staff home). Counts only: never who wrote or what.
 */
export async function countAwaiting(
  db: Db,
  subnetIds: readonly string[],
): Promise<{ subnetId: string; count: number; oldest: Date }[]> {
  if (subnetIds.length === 0) return [];
  const rows = await db('care_conversations')
    .whereIn('subnet_id', subnetIds)
    .whereNotNull('awaiting_since')
    .groupBy('subnet_id')
    .select('subnet_id', db.raw('count(*)::int AS count'), db.raw('min(awaiting_since) AS oldest'));
  return rows.map((r: Record<string, unknown>) => ({
    subnetId: r.subnet_id as string,
    count: Number(r.count),
    oldest: r.oldest as Date,
  }));
}
