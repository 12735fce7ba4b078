import type { Db } from '../db/knex.js';
import { afterCommit } from '../db/after-commit.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { deleteSessionsOfUser, setStatus } from '../auth/auth.service.js';
import { authorize, canMoveAlongPathway, canActOnMember, canActInSubnet, type MemberAction } from '../policy/index.js';
import { findSubnet, listCohorts, type CohortRow, type SubnetSummary } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import type { Realtime } from '../realtime/realtime.js';
import {
  endMembership,
  findMemberTarget,
  findPrivateReference,
  listMembersOfSubnet,
  updateCohort,
  upsertMemberMembership,
  type MemberListRow,
  type MemberTargetRow,
} from './members.repo.js';

/** Membership writes other features make in their own transaction: a new member's membership (a key's redemption) and a staff member's subnets (the admin). */
export { insertMembership, replaceStaffSubnets } from './members.repo.js';

export interface MembersPage {
  subnet: SubnetSummary;
  cohorts: CohortRow[];
  members: MemberListRow[];
}

async function loadSubnet(db: Db, subnetId: string): Promise<SubnetSummary> {
  const subnet = await findSubnet(db, subnetId);
  if (!subnet) throw notFound();
  return subnet;
}

/**
 * The subnet's members with cohort and last seen, for its clinicians.
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone else.
 */
export async function membersPage(db: Db, actor: SessionUser, subnetId: string, now: Date): Promise<MembersPage> {
  const subnet = await loadSubnet(db, subnetId);
  authorize(canActInSubnet(actor, 'list_members', subnet, now));
  const [cohorts, members] = await Promise.all([listCohorts(db, subnetId), listMembersOfSubnet(db, subnetId)]);
  return { subnet, cohorts, members };
}

export interface MemberContext {
  subnet: SubnetSummary;
  cohorts: CohortRow[];
  member: MemberTargetRow;
  cohortId: string | null;
}

/**
 * Loads one member of a subnet and checks the actor may do `action` to them there.
 * @throws HttpError 404 / PolicyDenied.
 */
export async function memberFor(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  userId: string,
  action: MemberAction,
  now: Date,
): Promise<MemberContext> {
  const subnet = await loadSubnet(db, subnetId);
  authorize(canActInSubnet(actor, 'list_members', subnet, now));
  const member = await findMemberTarget(db, userId);
  if (!member) throw notFound();
  authorize(canActOnMember(actor, action, member, subnetId, now));
  const cohorts = await listCohorts(db, subnetId);
  return {
    subnet,
    cohorts,
    member,
    cohortId: member.memberships.find((m) => m.subnetId === subnetId)?.cohortId ?? null,
  };
}

/** Moves a member to another cohort of the same subnet; their rooms change with their next request. */
export async function moveMember(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  m: MemberContext,
  cohortId: string,
): Promise<boolean> {
  if (!m.cohorts.some((c) => c.id === cohortId)) return false;
  await db.transaction(async (trx) => {
    await updateCohort(trx, m.member.id, m.subnet.id, cohortId);
    await recordAudit(trx, ctx, {
      action: 'member.move_cohort',
      targetType: 'user',
      targetId: m.member.id,
      details: { subnet_id: m.subnet.id, from: m.cohortId, to: cohortId },
    });
  });
  // Open sockets leave every room at once; the client reconnects and joins only what the policy allows now.
  realtime.disconnectUser(m.member.id);
  return true;
}

/**
 * Suspends or reinstates an account, audited with its details (the reason, for a suspension).
 * Suspension deletes every session of that person at once, so nothing already open keeps
 * working; after the commit their open pages are told why (`account:suspended`: the page says so
 * and shows the crisis contacts instead of retrying) and then disconnected, which drops them from
 * every room's presence.
 */
export async function setAccountStatus(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  userId: string,
  status: 'active' | 'suspended',
  details: Record<string, string> = {},
): Promise<void> {
  await db.transaction(async (trx) => {
    await setStatus(trx, userId, status);
    if (status === 'suspended') await deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, ctx, {
      action: status === 'suspended' ? 'account.suspend' : 'account.reinstate',
      targetType: 'user',
      targetId: userId,
      details,
    });
  });
  if (status === 'suspended') {
    // After the commit (of the caller's transaction too, when this runs inside one).
    afterCommit(db, () => {
      realtime.emitToUser(userId, 'account:suspended', {});
      realtime.disconnectUser(userId);
    });
  }
}

/** Reveals a member's private reference, recording who asked and why. */
export async function revealReference(
  db: Db,
  ctx: AuditContext,
  m: MemberContext,
  reason: string,
): Promise<string | null> {
  return db.transaction(async (trx) => {
    const ref = await findPrivateReference(trx, m.member.id, m.subnet.id);
    await recordAudit(trx, ctx, {
      action: 'member.reveal_reference',
      targetType: 'user',
      targetId: m.member.id,
      details: { subnet_id: m.subnet.id, reason: reason.slice(0, 500) },
    });
    return ref;
  });
}

/**
 * The member's private reference in this subnet, for a caller that was authorised `reveal_reference`
 * by `memberFor` and audits the disclosure itself (the FHIR export of their measures); null when none.
 */
export function privateReferenceOf(db: Db, m: MemberContext): Promise<string | null> {
  return findPrivateReference(db, m.member.id, m.subnet.id);
}

export interface PathwayDestination {
  subnetId: string;
  subnetName: string;
  cohorts: CohortRow[];
}

/** Where this clinician may move a member: the subnets they are a clinician of, with their cohorts. */
export async function pathwayDestinations(db: Db, actor: SessionUser, now: Date): Promise<PathwayDestination[]> {
  const subnetIds = actor.memberships
    .filter((m) => canActInSubnet(actor, 'list_members', { id: m.subnetId }, now).allowed)
    .map((m) => m.subnetId);
  return Promise.all(
    subnetIds.map(async (id) => {
      const subnet = await loadSubnet(db, id);
      return { subnetId: id, subnetName: subnet.name, cohorts: await listCohorts(db, id) };
    }),
  );
}

/**
 * Moves a member along their pathway in one step: into cohort C of subnet S2 at once, and out of
 * their current subnet now or at a chosen date (kept until then). Audited; open sockets reconnect
 * into what the policy allows now.
 * @throws PolicyDenied unless the actor is a clinician of both subnets.
 */
export async function moveAlongPathway(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  actor: SessionUser,
  m: MemberContext,
  to: { subnetId: string; cohortId: string; leaveOn: Date | null },
  now: Date,
): Promise<boolean> {
  authorize(canMoveAlongPathway(actor, m.member, m.subnet.id, to.subnetId, now));
  if (!(await listCohorts(db, to.subnetId)).some((c) => c.id === to.cohortId)) return false;
  await db.transaction(async (trx) => {
    await upsertMemberMembership(trx, m.member.id, to.subnetId, to.cohortId);
    if (to.subnetId !== m.subnet.id) await endMembership(trx, m.member.id, m.subnet.id, to.leaveOn ?? now);
    await recordAudit(trx, ctx, {
      action: 'member.pathway_move',
      targetType: 'user',
      targetId: m.member.id,
      details: {
        from_subnet: m.subnet.id,
        from_cohort: m.cohortId,
        to_subnet: to.subnetId,
        to_cohort: to.cohortId,
        leave_on: (to.leaveOn ?? now).toISOString(),
      },
    });
  });
  realtime.disconnectUser(m.member.id);
  return true;
}

/** A person as the policy sees them for actions on members (role, status, memberships); undefined when there is none. */
export function memberTarget(db: Db, userId: string): Promise<MemberTargetRow | undefined> {
  return findMemberTarget(db, userId);
}
