import type { Db } from '../db/knex.js';
import { badgeFor } from '../people/labels.js';
import { countOpenAlerts, listOnDutyIn } from './workload.repo.js';

/** Something waiting for staff in one subnet: how many, and since when the oldest has waited. */
export interface Waiting {
  count: number;
  oldest: Date | null;
}

/** Unacknowledged alerts, with how many are overdue (past the escalation time, as the moderation queue marks them). */
export interface AlertsWaiting extends Waiting {
  overdue: number;
}

export interface OnDutyPerson {
  nickname: string;
  badge: string | null;
  since: Date;
}

const NOTHING: AlertsWaiting = { count: 0, overdue: 0, oldest: null };

/**
 * Unacknowledged watched-word alerts per subnet, in one query for all of them. An alert is overdue
 * once it has waited `escalationMs` (the time after which the escalation job tells every staff
 * member): the same line the moderation queue draws. Subnets with none answer zero.
 */
export async function alertsWaiting(
  db: Db,
  subnetIds: readonly string[],
  now: Date,
  escalationMs: number,
): Promise<Map<string, AlertsWaiting>> {
  const rows = await countOpenAlerts(db, subnetIds, new Date(now.getTime() - escalationMs));
  const bySubnet = new Map(subnetIds.map((id) => [id, NOTHING]));
  for (const r of rows) bySubnet.set(r.subnetId, { count: r.count, overdue: r.overdue, oldest: r.oldest });
  return bySubnet;
}

/** Who is on duty now in each subnet (public name and badge, since when), in one query for all of them. */
export async function onDutyBySubnet(db: Db, subnetIds: readonly string[]): Promise<Map<string, OnDutyPerson[]>> {
  const bySubnet = new Map<string, OnDutyPerson[]>(subnetIds.map((id) => [id, []]));
  for (const r of await listOnDutyIn(db, subnetIds))
    bySubnet.get(r.subnetId)?.push({ nickname: r.nickname, badge: badgeFor(r.role), since: r.startedAt });
  return bySubnet;
}
