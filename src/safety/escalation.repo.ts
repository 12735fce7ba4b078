import type { Db } from '../db/knex.js';
import { SUBNET_STAFF_ROLES, type Actor, type Membership, type Role } from '../policy/index.js';

// The data behind escalating overdue alerts: which alerts, in which rooms, and who may hear of them.

/** An alert just marked as escalated, with the room it is about (a chat message, thread or reply). */
export interface EscalatedAlert {
  id: number;
  subnetId: string;
  roomId: string | null;
  roomName: string | null;
}

/**
 * Marks every alert nobody acknowledged since `due` as escalated at `now`, once: the UPDATE
 * decides, so with several app processes only one escalates each alert. Returns them with their room.
 */
export async function markOverdueAlerts(db: Db, due: Date, now: Date): Promise<EscalatedAlert[]> {
  const { rows } = await db.raw(
    `WITH escalated AS (
       UPDATE alerts a SET escalated_at = ?
        WHERE a.acknowledged_at IS NULL AND a.escalated_at IS NULL AND a.created_at <= ?
       RETURNING a.id, a.subnet_id, coalesce(
         (SELECT m.room_id FROM messages m WHERE m.id = a.message_id),
         (SELECT t.room_id FROM threads t WHERE t.id = a.thread_id),
         (SELECT t.room_id FROM replies p JOIN threads t ON t.id = p.thread_id WHERE p.id = a.reply_id)) AS room_id)
     SELECT e.id, e.subnet_id, e.room_id, r.name AS room_name FROM escalated e LEFT JOIN rooms r ON r.id = e.room_id ORDER BY e.id`,
    [now, due],
  );
  return (rows as Record<string, unknown>[]).map((r) => ({
    id: Number(r.id),
    subnetId: r.subnet_id as string,
    roomId: r.room_id as string | null,
    roomName: r.room_name as string | null,
  }));
}

/**
 * The active clinicians and peer moderators holding a membership in any of the subnets, as actors
 * with those memberships (the policy then decides who is staff of which subnet now).
 */
export async function staffCandidates(db: Db, subnetIds: readonly string[]): Promise<Actor[]> {
  if (subnetIds.length === 0) return [];
  const rows = await db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .whereIn('m.subnet_id', subnetIds)
    .whereIn('u.role', SUBNET_STAFF_ROLES)
    .where('u.status', 'active')
    .select('u.id', 'u.role', 'u.status', 'm.subnet_id', 'm.cohort_id', 'm.ends_at');
  const byId = new Map<string, Actor & { memberships: Membership[] }>();
  for (const r of rows) {
    const actor = byId.get(r.id) ?? {
      id: r.id as string,
      role: r.role as Role,
      status: r.status,
      memberships: [] as Membership[],
    };
    actor.memberships.push({ subnetId: r.subnet_id, cohortId: r.cohort_id, endsAt: r.ends_at });
    byId.set(actor.id, actor);
  }
  return [...byId.values()];
}
