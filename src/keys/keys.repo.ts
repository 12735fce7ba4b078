import type { Db } from '../db/knex.js';
import type { MemberRole } from '../policy/index.js';

export interface KeyRow {
  id: string;
  subnetId: string;
  cohortId: string;
  cohortName: string;
  role: MemberRole;
  codeHint: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  redeemedAt: Date | null;
  issuedByName: string;
}

export interface NewKey {
  codeHash: string;
  codeHint: string;
  subnetId: string;
  cohortId: string;
  role: MemberRole;
  privateReference: string | null;
  issuedBy: string;
  expiresAt: Date;
}

export async function insertKey(db: Db, k: NewKey): Promise<string> {
  const [row] = await db('invitation_keys')
    .insert({
      code_hash: k.codeHash,
      code_hint: k.codeHint,
      subnet_id: k.subnetId,
      cohort_id: k.cohortId,
      role: k.role,
      private_reference: k.privateReference,
      issued_by: k.issuedBy,
      expires_at: k.expiresAt,
    })
    .returning('id');
  return row.id;
}

/** The keys of a subnet, newest first (no code, no private reference). */
export async function listKeysOfSubnet(db: Db, subnetId: string, limit = 100): Promise<KeyRow[]> {
  const rows = await db('invitation_keys as k')
    .join('cohorts as c', 'c.id', 'k.cohort_id')
    .join('users as u', 'u.id', 'k.issued_by')
    .where('k.subnet_id', subnetId)
    .orderBy('k.created_at', 'desc')
    .limit(limit)
    .select('k.*', 'c.name as cohort_name', db.raw('coalesce(u.display_name, u.nickname) as issued_by_name'));
  return rows.map((r) => ({
    id: r.id,
    subnetId: r.subnet_id,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    role: r.role,
    codeHint: r.code_hint,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    redeemedAt: r.redeemed_at,
    issuedByName: r.issued_by_name,
  }));
}

/** Revokes a key of the subnet if it is still open; returns whether one was revoked. */
export async function revokeKeyRow(db: Db, subnetId: string, keyId: string, by: string): Promise<boolean> {
  const n = await db('invitation_keys')
    .where({ id: keyId, subnet_id: subnetId })
    .whereNull('revoked_at')
    .whereNull('redeemed_at')
    .update({ revoked_at: db.fn.now(), revoked_by: by });
  return n > 0;
}

export interface OpenKey {
  id: string;
  subnetId: string;
  cohortId: string;
  role: MemberRole;
  privateReference: string | null;
}

/** Locks and returns a key that can still be redeemed (not used, not revoked, not expired). */
export async function lockOpenKey(db: Db, codeHash: string): Promise<OpenKey | undefined> {
  const r = await db('invitation_keys')
    .where({ code_hash: codeHash })
    .whereNull('revoked_at')
    .whereNull('redeemed_at')
    .where('expires_at', '>', db.fn.now())
    .forUpdate()
    .first();
  return r
    ? { id: r.id, subnetId: r.subnet_id, cohortId: r.cohort_id, role: r.role, privateReference: r.private_reference }
    : undefined;
}

export async function markRedeemed(db: Db, keyId: string, userId: string): Promise<void> {
  await db('invitation_keys').where({ id: keyId }).update({ redeemed_at: db.fn.now(), redeemed_by: userId });
}
