import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { findTaken, insertUser } from '../auth/auth.service.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { takenErrorOfViolation, takenErrors } from '../auth/identity-taken.js';
import { listCohorts, subnetFor, type CohortRow, type SubnetSummary } from '../building/building.service.js';
import { formErrors, type FormErrors } from '../http/forms.js';
import { insertMembership } from '../members/members.service.js';
import { insertKey, listKeysOfSubnet, lockOpenKey, markRedeemed, revokeKeyRow, type KeyRow } from './keys.repo.js';
import type { IssueKeyInput, RedeemKeyInput } from './keys.schemas.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A fresh 16-character key (80 bits), shown once as four groups. */
export function generateKeyCode(): string {
  return Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** How a key code is stored: SHA-256 is enough for 80 random bits. */
export function hashKeyCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export const formatKeyCode = (code: string): string => code.match(/.{4}/g)?.join('-') ?? code;

export interface KeysPage {
  subnet: SubnetSummary;
  cohorts: CohortRow[];
  keys: KeyRow[];
}

/**
 * Loads a subnet for its clinician's key pages.
 * @throws HttpError 404 for an unknown subnet; PolicyDenied (hidden) for anyone but its clinicians.
 */
export async function keysPage(db: Db, actor: SessionUser, subnetId: string, now: Date): Promise<KeysPage> {
  const subnet = await subnetFor(db, actor, subnetId, 'issue_key', now);
  const [cohorts, keys] = await Promise.all([listCohorts(db, subnetId), listKeysOfSubnet(db, subnetId)]);
  return { subnet, cohorts, keys };
}

/** Issues a key (the caller has authorised with keysPage). Returns the code, to show once. */
export async function issueKey(
  db: Db,
  ctx: AuditContext,
  page: KeysPage,
  input: IssueKeyInput,
  now: Date,
): Promise<{ ok: true; code: string; expiresAt: Date } | { ok: false; errors: FormErrors }> {
  if (!page.cohorts.some((c) => c.id === input.cohortId)) {
    return { ok: false, errors: formErrors([{ field: 'cohortId', message: 'Choose a group of this service' }]) };
  }
  const code = generateKeyCode();
  const expiresAt = new Date(now.getTime() + input.expiryDays * 86_400_000);
  await db.transaction(async (trx) => {
    const id = await insertKey(trx, {
      codeHash: hashKeyCode(code),
      codeHint: code.slice(-4),
      subnetId: page.subnet.id,
      cohortId: input.cohortId,
      role: input.role,
      privateReference: input.privateReference || null,
      issuedBy: ctx.actorId ?? '',
      expiresAt,
    });
    await recordAudit(trx, ctx, {
      action: 'key.issue',
      targetType: 'invitation_key',
      targetId: id,
      details: { subnet_id: page.subnet.id, cohort_id: input.cohortId, role: input.role },
    });
  });
  return { ok: true, code, expiresAt };
}

/** Revokes an open key of the subnet. Returns false when it was already used, revoked or unknown. */
export async function revokeKey(db: Db, ctx: AuditContext, page: KeysPage, keyId: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const done = await revokeKeyRow(trx, page.subnet.id, keyId, ctx.actorId ?? '');
    if (done) await recordAudit(trx, ctx, { action: 'key.revoke', targetType: 'invitation_key', targetId: keyId });
    return done;
  });
}

export const KEY_NOT_VALID =
  'This key cannot be used. It may have expired, been used already or been withdrawn. Ask your clinician for a new key.';

/**
 * Redeems a key: creates the account and its membership, marks the key used and audits, all in
 * one transaction, so a key opens the building exactly once.
 */
export async function redeemKey(
  db: Db,
  passwords: PasswordHasher,
  ctx: AuditContext,
  input: RedeemKeyInput,
): Promise<{ ok: true; userId: string } | { ok: false; errors: FormErrors }> {
  const passwordHash = await passwords.hash(input.password);
  return redeemInTransaction(db, ctx, input, passwordHash).catch((e: unknown) => {
    // Two people choosing the same or look-alike names at the same instant: the unique index decides.
    const taken = takenErrorOfViolation(e);
    if (taken) return { ok: false as const, errors: formErrors([taken]) };
    throw e;
  });
}

function redeemInTransaction(
  db: Db,
  ctx: AuditContext,
  input: RedeemKeyInput,
  passwordHash: string,
): Promise<{ ok: true; userId: string } | { ok: false; errors: FormErrors }> {
  return db.transaction(async (trx) => {
    const key = await lockOpenKey(trx, hashKeyCode(input.key));
    if (!key) return { ok: false as const, errors: formErrors([{ field: 'key', message: KEY_NOT_VALID }]) };
    const taken = takenErrors(await findTaken(trx, input.username, input.nickname));
    if (taken.length) return { ok: false as const, errors: formErrors(taken) };
    const userId = await insertUser(trx, {
      username: input.username,
      nickname: input.nickname,
      role: key.role,
      passwordHash,
    });
    await insertMembership(trx, {
      userId,
      subnetId: key.subnetId,
      cohortId: key.cohortId,
      privateReference: key.privateReference,
    });
    await markRedeemed(trx, key.id, userId);
    await recordAudit(
      trx,
      { ...ctx, actorId: userId },
      { action: 'key.redeem', targetType: 'invitation_key', targetId: key.id },
    );
    return { ok: true as const, userId };
  });
}
