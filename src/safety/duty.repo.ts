import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import type { Role } from '../policy/index.js';

export interface OnDutyRow {
  userId: string;
  nickname: string;
  displayName: string | null;
  role: Role;
  startedAt: Date;
}

/** Staff of a subnet on duty now. */
export async function listOnDuty(db: Db, subnetId: string): Promise<OnDutyRow[]> {
  return (await onDutyPrepared(db, { subnetId })).map(toOnDuty);
}

const onDutyPrepared = preparedQuery<{ subnetId: string }>('on_duty', (db, p) => onDutyQuery(db, p.subnetId));

/** Staff on duty in a subnet (an id, or an SQL expression giving one). */
export function onDutyQuery(db: Db, subnet: string | Knex.Raw) {
  return db('duty_sessions as d')
    .join('users as u', 'u.id', 'd.user_id')
    .where('d.subnet_id', subnet)
    .whereNull('d.ended_at')
    .where('u.status', 'active')
    .orderBy('d.started_at')
    .select('u.id', 'u.nickname', 'u.display_name', 'u.role', 'd.started_at');
}

/** A row of `onDutyQuery`, as pg returns it or as JSON. */
export function toOnDuty(r: Record<string, unknown>): OnDutyRow {
  return {
    userId: r.id as string,
    nickname: r.nickname as string,
    displayName: r.display_name as string | null,
    role: r.role as Role,
    startedAt: new Date(r.started_at as string | Date),
  };
}

/** The subnets in which a person is on duty now. */
export async function dutySubnetsOf(db: Db, userId: string): Promise<string[]> {
  return (await dutySubnetsPrepared(db, { userId })).map((r) => r.subnet_id as string);
}

// Every staff lobby asks: a prepared statement.
const dutySubnetsPrepared = preparedQuery<{ userId: string }>('duty_subnets_of', (db, p) =>
  db('duty_sessions').where({ user_id: p.userId }).whereNull('ended_at').select('subnet_id'),
);

/** Starts a duty; false when already on duty there. */
export async function startDutyRow(db: Db, userId: string, subnetId: string): Promise<boolean> {
  const rows = await db('duty_sessions')
    .insert({ user_id: userId, subnet_id: subnetId })
    .onConflict(db.raw('(user_id, subnet_id) WHERE ended_at IS NULL'))
    .ignore()
    .returning('id');
  return rows.length > 0;
}

/** Ends the open duty with a handover note; returns its id, or null when not on duty. */
export async function endDutyRow(
  db: Db,
  userId: string,
  subnetId: string,
  note: string | null,
): Promise<number | null> {
  const rows = await db('duty_sessions')
    .where({ user_id: userId, subnet_id: subnetId })
    .whereNull('ended_at')
    .update({ ended_at: db.fn.now(), handover_note: note })
    .returning('id');
  return rows[0] ? Number(rows[0].id) : null;
}

export interface DutySessionRow extends OnDutyRow {
  id: number;
  endedAt: Date | null;
  handoverNote: string | null;
}

/** A subnet's duty sessions, newest first. */
export async function listDutySessions(db: Db, subnetId: string, limit = 50): Promise<DutySessionRow[]> {
  const rows = await db('duty_sessions as d')
    .join('users as u', 'u.id', 'd.user_id')
    .where('d.subnet_id', subnetId)
    .orderBy('d.started_at', 'desc')
    .limit(limit)
    .select(
      'd.id',
      'u.id as user_id',
      'u.nickname',
      'u.display_name',
      'u.role',
      'd.started_at',
      'd.ended_at',
      'd.handover_note',
    );
  return rows.map((r) => ({
    id: Number(r.id),
    userId: r.user_id,
    nickname: r.nickname,
    displayName: r.display_name,
    role: r.role,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    handoverNote: r.handover_note,
  }));
}

/** The audit rows of one person between two instants (a peer moderator's actions during a duty). */
export async function actionsDuring(
  db: Db,
  userId: string,
  from: Date,
  to: Date | null,
): Promise<{ action: string; at: Date; targetType: string | null }[]> {
  const q = db('audit_log')
    .where({ actor_id: userId })
    .where('at', '>=', from)
    .whereNotIn('action', ['login', 'logout', 'care_team.read'])
    .orderBy('id')
    .limit(200);
  if (to) q.where('at', '<=', to);
  return (await q.select('action', 'at', 'target_type')).map((r) => ({
    action: r.action,
    at: r.at,
    targetType: r.target_type,
  }));
}
