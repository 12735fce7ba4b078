import type { Db } from '../../db/knex.js';
import type { AccountStatus, Role } from '../../policy/index.js';

/** A staff account as organisation sign-in sees it. */
export interface OidcAccount {
  id: string;
  username: string;
  role: Role;
  status: AccountStatus;
  oidcSubject: string | null;
}

const COLUMNS = ['id', 'username', 'role', 'status', 'oidc_subject'] as const;
const toAccount = (r: Record<string, unknown>): OidcAccount => ({
  id: r.id as string,
  username: r.username as string,
  role: r.role as Role,
  status: r.status as AccountStatus,
  oidcSubject: (r.oidc_subject as string | null) ?? null,
});

/** The account already linked to this provider's subject. */
export async function findAccountBySubject(db: Db, issuer: string, subject: string): Promise<OidcAccount | undefined> {
  const row = await db('users')
    .where({ oidc_issuer: issuer, oidc_subject: subject })
    .first(...COLUMNS);
  return row ? toAccount(row) : undefined;
}

/** The account whose admin-entered work email this is (case-insensitive). */
export async function findAccountByWorkEmail(db: Db, email: string): Promise<OidcAccount | undefined> {
  const row = await db('users')
    .whereRaw('lower(work_email) = lower(?)', [email])
    .first(...COLUMNS);
  return row ? toAccount(row) : undefined;
}

/** Links an unlinked account to the subject; false when it was linked meanwhile (the UPDATE decides). */
export async function linkSubject(db: Db, userId: string, issuer: string, subject: string): Promise<boolean> {
  const n = await db('users')
    .where({ id: userId })
    .whereNull('oidc_subject')
    .update({ oidc_issuer: issuer, oidc_subject: subject, oidc_linked_at: db.fn.now() });
  return n > 0;
}

/**
 * Sets a staff account's work email. A different address also removes the link to the
 * organisation's account: the next organisation sign-in links again, by the new address.
 * Returns whether the link was removed.
 */
export async function setWorkEmail(db: Db, userId: string, email: string | null): Promise<boolean> {
  const before: { work_email: string | null; oidc_subject: string | null } | undefined = await db('users')
    .where({ id: userId })
    .forUpdate()
    .first('work_email', 'oidc_subject');
  const changed = (before?.work_email ?? '').toLowerCase() !== (email ?? '').toLowerCase();
  const unlink = changed && before !== undefined && before.oidc_subject !== null;
  await db('users')
    .where({ id: userId })
    .update({
      work_email: email,
      ...(unlink ? { oidc_issuer: null, oidc_subject: null, oidc_linked_at: null } : {}),
    });
  return unlink;
}

/** A staff account's work email and whether it is linked to an organisation account. */
export async function findWorkIdentity(
  db: Db,
  userId: string,
): Promise<{ workEmail: string | null; linkedAt: Date | null }> {
  const row = await db('users').where({ id: userId }).first('work_email', 'oidc_linked_at');
  return { workEmail: row?.work_email ?? null, linkedAt: row?.oidc_linked_at ?? null };
}
