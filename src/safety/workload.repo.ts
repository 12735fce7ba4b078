import type { Db } from '../db/knex.js';
import type { Role } from '../policy/index.js';

// The safety side of the staff home (issue 15): unacknowledged alerts and who is on duty, for all
// of a person's subnets in one query each. Counts, ages and public names only: never message text.

export interface AlertCountRow {
  subnetId: string;
  count: number;
  overdue: number;
  oldest: Date;
}

/** Unacknowledged watched-word alerts per subnet: how many, how many created at or before `overdueBefore`, the oldest. */
export async function countOpenAlerts(
  db: Db,
  subnetIds: readonly string[],
  overdueBefore: Date,
): Promise<AlertCountRow[]> {
  if (subnetIds.length === 0) return [];
  const rows = await db('alerts')
    .whereIn('subnet_id', subnetIds)
    .whereNull('acknowledged_at')
    .groupBy('subnet_id')
    .select(
      'subnet_id',
      db.raw('count(*)::int AS count'),
      db.raw('(count(*) FILTER (WHERE created_at <= ?))::int AS overdue', [overdueBefore]),
      db.raw('min(created_at) AS oldest'),
    );
  return rows.map((r: Record<string, unknown>) => ({
    subnetId: r.subnet_id as string,
    count: Number(r.count),
    overdue: Number(r.overdue),
    oldest: r.oldest as Date,
  }));
}

export interface OnDutyInRow {
  subnetId: string;
  userId: string;
  nickname: string;
  role: Role;
  startedAt: Date;
}

/** Staff on duty now in any of the subnets (active accounts), the longest on duty first. */
export async function listOnDutyIn(db: Db, subnetIds: readonly string[]): Promise<OnDutyInRow[]> {
  if (subnetIds.length === 0) return [];
  const rows = await db('duty_sessions as d')
    .join('users as u', 'u.id', 'd.user_id')
    .whereIn('d.subnet_id', subnetIds)
    .whereNull('d.ended_at')
    .where('u.status', 'active')
    .orderBy('d.started_at')
    .select('d.subnet_id', 'u.id', 'u.nickname', 'u.role', 'd.started_at');
  return rows.map((r: Record<string, unknown>) => ({
    subnetId: r.subnet_id as string,
    userId: r.id as string,
    nickname: r.nickname as string,
    role: r.role as Role,
    startedAt: r.started_at as Date,
  }));
}
