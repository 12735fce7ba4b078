import type { Actor, Membership, Role } from './types.js';
import { MEMBER_ROLES, SUBNET_STAFF_ROLES } from './types.js';

/** Whether the account itself may do anything at all. */
export function isActive(actor: Pick<Actor, 'status'>): boolean {
  return actor.status === 'active';
}

/** A membership counts only until its end date. */
export function isCurrent(m: Membership, now: Date): boolean {
  return m.endsAt === null || m.endsAt.getTime() > now.getTime();
}

/** The person's current membership of a subnet, if any. */
export function currentMembership(
  person: { memberships: readonly Membership[] },
  subnetId: string,
  now: Date,
): Membership | undefined {
  return person.memberships.find((m) => m.subnetId === subnetId && isCurrent(m, now));
}

/** Whether the person once belonged to the subnet but that membership has ended. */
export function hasEndedMembership(
  person: { memberships: readonly Membership[] },
  subnetId: string,
  now: Date,
): boolean {
  return person.memberships.some((m) => m.subnetId === subnetId && !isCurrent(m, now));
}

export function isSubnetStaffRole(role: Role): boolean {
  return (SUBNET_STAFF_ROLES as readonly Role[]).includes(role);
}

export function isMemberRole(role: Role): boolean {
  return (MEMBER_ROLES as readonly Role[]).includes(role);
}

/** Staff of S: a clinician or peer moderator with a current membership in S. */
export function isStaffOf(actor: Actor, subnetId: string, now: Date): boolean {
  return isSubnetStaffRole(actor.role) && currentMembership(actor, subnetId, now) !== undefined;
}

/** Clinician of S. */
export function isClinicianOf(actor: Actor, subnetId: string, now: Date): boolean {
  return actor.role === 'clinician' && currentMembership(actor, subnetId, now) !== undefined;
}

/** The cohort a member currently belongs to in S (null for staff, undefined when not in S). */
export function cohortIn(actor: Actor, subnetId: string, now: Date): string | null | undefined {
  return currentMembership(actor, subnetId, now)?.cohortId;
}

/** Ends an exhaustive switch: adding a role, kind or action without a rule fails to compile. */
export function assertNever(x: never): never {
  throw new Error(`No rule for ${String(x)}`);
}

/** SECURITY.md: two-factor sign-in is required for staff (clinicians, peer moderators, admins). */
export function mustUseTwoFactor(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'admin' || isSubnetStaffRole(actor.role);
}
