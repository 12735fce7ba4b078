import type { Db } from '../db/knex.js';
import type { AccountStatus, Membership, Role } from '../policy/index.js';

export interface NewMembership {
  userId: string;
  subnetId: string;
  cohortId: string | null;
  privateReference?: string | null;
}

export async function insertMembership(db: Db, m: NewMembership): Promise<void> {
  await db('memberships').insert({
    user_id: m.userId,
    subnet_id: m.subnetId,
    cohort_id: m.cohortId,
    private_reference: m.privateReference ?? null,
  });
}

export interface MemberListRow {
  id: string;
  nickname: string;
  role: Role;
  status: AccountStatus;
  cohortId: string | null;
  cohortName: string | null;
  lastSeenAt: Date | null;
  endsAt: Date | null;
}

/** Members (not staff) of a subnet, by nickname. */
export async function listMembersOfSubnet(db: Db, subnetId: string): Promise<MemberListRow[]> {
  const rows = await db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .leftJoin('cohorts as c', 'c.id', 'm.cohort_id')
    .where('m.subnet_id', subnetId)
    .whereNotNull('m.cohort_id')
    .whereNot('u.status', 'erased')
    .orderByRaw('lower(u.nickname)')
    .select(
      'u.id',
      'u.nickname',
      'u.role',
      'u.status',
      'u.last_seen_at',
      'm.cohort_id',
      'm.ends_at',
      'c.name as cohort_name',
    );
  return rows.map((r) => ({
    id: r.id,
    nickname: r.nickname,
    role: r.role,
    status: r.status,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    lastSeenAt: r.last_seen_at,
    endsAt: r.ends_at,
  }));
}

export interface MemberTargetRow {
  id: string;
  nickname: string;
  role: Role;
  status: AccountStatus;
  memberships: Membership[];
}

/** A person with all memberships, for the policy; undefined when unknown. */
export async function findMemberTarget(db: Db, userId: string): Promise<MemberTargetRow | undefined> {
  const u = await db('users').where({ id: userId }).first('id', 'nickname', 'role', 'status');
  if (!u) return undefined;
  const ms = await db('memberships').where({ user_id: userId }).select('subnet_id', 'cohort_id', 'ends_at');
  return {
    id: u.id,
    nickname: u.nickname,
    role: u.role,
    status: u.status,
    memberships: ms.map((m) => ({ subnetId: m.subnet_id, cohortId: m.cohort_id, endsAt: m.ends_at })),
  };
}

/** The private reference a clinician recorded for a member of a subnet. */
export async function findPrivateReference(db: Db, userId: string, subnetId: string): Promise<string | null> {
  const row = await db('memberships').where({ user_id: userId, subnet_id: subnetId }).first('private_reference');
  return row?.private_reference ?? null;
}

export async function updateCohort(db: Db, userId: string, subnetId: string, cohortId: string): Promise<void> {
  await db('memberships').where({ user_id: userId, subnet_id: subnetId }).update({ cohort_id: cohortId });
}

/** Replaces a staff member's subnets with the given set. */
export async function replaceStaffSubnets(db: Db, userId: string, subnetIds: readonly string[]): Promise<void> {
  await db('memberships').where({ user_id: userId }).whereNotIn('subnet_id', subnetIds).delete();
  if (subnetIds.length === 0) return;
  await db('memberships')
    .insert(subnetIds.map((s) => ({ user_id: userId, subnet_id: s, cohort_id: null })))
    .onConflict(['user_id', 'subnet_id'])
    .ignore();
}

/** Ends a membership at a date (now or later); the person keeps it until then. */
export async function endMembership(db: Db, userId: string, subnetId: string, endsAt: Date): Promise<void> {
  await db('memberships').where({ user_id: userId, subnet_id: subnetId }).update({ ends_at: endsAt });
}

/** Puts a member into a subnet and cohort (or moves them within it), with no end date. */
export async function upsertMemberMembership(
  db: Db,
  userId: string,
  subnetId: string,
  cohortId: string,
): Promise<void> {
  await db('memberships')
    .insert({ user_id: userId, subnet_id: subnetId, cohort_id: cohortId, ends_at: null })
    .onConflict(['user_id', 'subnet_id'])
    .merge({ cohort_id: cohortId, ends_at: null });
}
