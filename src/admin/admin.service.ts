import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { deleteSessionsOfUser, findTaken, insertUser, setWorkEmail } from '../auth/auth.service.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { takenErrorOfViolation, takenErrors } from '../auth/identity-taken.js';
import { isUniqueViolation } from '../db/errors.js';
import { isSubnetStaffRole } from '../policy/index.js';
import type { Realtime } from '../realtime/realtime.js';
import { listCohorts } from '../building/building.service.js';
import { replaceStaffSubnets } from '../members/members.service.js';
import { formErrors, type FormErrors } from '../http/forms.js';
import { insertCohort, insertSubnet, renameCohortRow, saveRoom, updateSubnet } from './admin.repo.js';
import type { RoomInput, StaffInput, SubnetInput } from './admin.schemas.js';

export type Saved = { ok: true; id: string } | { ok: false; errors: FormErrors };

/** Runs a write; a unique violation becomes a form error on `field`. */
async function uniquely(field: string, message: string, write: () => Promise<string>): Promise<Saved> {
  try {
    return { ok: true, id: await write() };
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, errors: formErrors([{ field, message }]) };
    throw e;
  }
}

/** Creates (id null) or edits a subnet, audited. */
export function saveSubnet(db: Db, ctx: AuditContext, id: string | null, s: SubnetInput): Promise<Saved> {
  return uniquely('slug', 'Another subnet already uses that short name', () =>
    db.transaction(async (trx) => {
      // A new subnet needs no watched-word rows: the safety baseline applies to every subnet from code.
      const savedId = id ?? (await insertSubnet(trx, s));
      if (id) await updateSubnet(trx, id, s);
      await recordAudit(trx, ctx, {
        action: id ? 'subnet.edit' : 'subnet.create',
        targetType: 'subnet',
        targetId: savedId,
      });
      return savedId;
    }),
  );
}

const slugify = (name: string) =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'group';

/** Adds a cohort to a subnet, audited. */
export function addCohort(db: Db, ctx: AuditContext, subnetId: string, name: string): Promise<Saved> {
  return uniquely('name', 'This subnet already has a group with that name', () =>
    db.transaction(async (trx) => {
      const id = await insertCohort(trx, subnetId, name, slugify(name));
      await recordAudit(trx, ctx, {
        action: 'cohort.create',
        targetType: 'cohort',
        targetId: id,
        details: { subnet_id: subnetId },
      });
      return id;
    }),
  );
}

/** Renames a cohort (its short name, used in links, stays), audited. */
export async function renameCohort(db: Db, ctx: AuditContext, cohortId: string, name: string): Promise<void> {
  await db.transaction(async (trx) => {
    await renameCohortRow(trx, cohortId, name);
    await recordAudit(trx, ctx, { action: 'cohort.rename', targetType: 'cohort', targetId: cohortId });
  });
}

/** Creates or edits a room; its audience must be cohorts of the same subnet. */
export async function saveRoomFor(
  db: Db,
  ctx: AuditContext,
  subnetId: string,
  roomId: string | null,
  r: RoomInput,
): Promise<Saved> {
  const cohorts = new Set((await listCohorts(db, subnetId)).map((c) => c.id));
  if (!r.audience.every((c) => cohorts.has(c)))
    return { ok: false, errors: formErrors([{ field: 'audience', message: 'Choose groups of this subnet' }]) };
  const id = await db.transaction(async (trx) => {
    const saved = await saveRoom(trx, subnetId, roomId, r);
    await recordAudit(trx, ctx, {
      action: roomId ? 'room.edit' : 'room.create',
      targetType: 'room',
      targetId: saved,
      details: { subnet_id: subnetId, kind: r.kind },
    });
    return saved;
  });
  return { ok: true, id };
}

/** Creates a staff account and assigns its subnets (clinicians and peer moderators only). */
export async function createStaff(db: Db, passwords: PasswordHasher, ctx: AuditContext, s: StaffInput): Promise<Saved> {
  const taken = takenErrors(await findTaken(db, s.username, s.nickname));
  if (taken.length) return { ok: false, errors: formErrors(taken) };
  const passwordHash = await passwords.hash(s.password);
  try {
    const id = await db.transaction(async (trx) => {
      const userId = await insertUser(trx, {
        username: s.username,
        nickname: s.nickname,
        displayName: s.displayName,
        role: s.role,
        passwordHash,
        workEmail: s.workEmail,
      });
      if (isSubnetStaffRole(s.role)) await replaceStaffSubnets(trx, userId, s.subnetIds);
      await recordAudit(trx, ctx, {
        action: 'staff.create',
        targetType: 'user',
        targetId: userId,
        details: { role: s.role },
      });
      return userId;
    });
    return { ok: true, id };
  } catch (e) {
    // Someone took the same or a look-alike name since the check: the unique index decides.
    const clash = takenErrorOfViolation(e);
    if (!clash) throw e;
    return { ok: false, errors: formErrors([clash]) };
  }
}

/**
 * Sets a staff member's work email, audited. A changed address unlinks the organisation account
 * (a wrong link is mended this way); the next organisation sign-in links by the new address.
 */
export async function saveStaffWorkEmail(
  db: Db,
  ctx: AuditContext,
  userId: string,
  workEmail: string | null,
): Promise<Saved & { unlinked?: boolean }> {
  try {
    const unlinked = await db.transaction(async (trx) => {
      const removed = await setWorkEmail(trx, userId, workEmail);
      await recordAudit(trx, ctx, {
        action: 'staff.work_email',
        targetType: 'user',
        targetId: userId,
        details: { set: workEmail !== null, organisation_unlinked: removed },
      });
      return removed;
    });
    return { ok: true, id: userId, unlinked };
  } catch (e) {
    const clash = takenErrorOfViolation(e);
    if (!clash) throw e;
    return { ok: false, errors: formErrors([clash]) };
  }
}

/** Replaces the subnets a staff member works in, audited. */
export async function assignStaffSubnets(
  db: Db,
  ctx: AuditContext,
  userId: string,
  subnetIds: string[],
): Promise<void> {
  await db.transaction(async (trx) => {
    await replaceStaffSubnets(trx, userId, subnetIds);
    await recordAudit(trx, ctx, {
      action: 'staff.assign_subnets',
      targetType: 'user',
      targetId: userId,
      details: { subnets: subnetIds.length },
    });
  });
}

/**
 * The last step of a pathway: a recovered member becomes a peer moderator of the subnets they
 * belong to (staff have no cohort). Their sessions end (a role change gets a new session) and
 * their sockets close. Audited with the role they had and the admin's reason. What they wrote
 * before keeps the role it was written with (author_role): no badge appears on it.
 */
export async function makePeerModerator(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  userId: string,
  why: { from: string; reason: string },
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('users').where({ id: userId }).update({ role: 'peer_moderator' });
    await trx('memberships').where({ user_id: userId }).update({ cohort_id: null });
    await deleteSessionsOfUser(trx, userId);
    await recordAudit(trx, ctx, {
      action: 'account.role_change',
      targetType: 'user',
      targetId: userId,
      details: { from: why.from, to: 'peer_moderator', reason: why.reason },
    });
  });
  realtime.disconnectUser(userId);
}
