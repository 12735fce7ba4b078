import type { Db } from '../../db/knex.js';
import { recordAudit, type AuditContext } from '../../audit/audit.service.js';
import { canSignInWithOrganisation, providerUsedMultiFactor } from '../../policy/index.js';
import { deleteSessionsOfUser, findUsersByProviderSession } from '../auth.service.js';
import type { Realtime } from '../../realtime/realtime.js';
import { findAccountBySubject, findAccountByWorkEmail, linkSubject, type OidcAccount } from './oidc.repo.js';
import type { OidcConfig } from './oidc.config.js';

/** Why an organisation sign-in was refused (audited; the page says what to do). */
export type OidcRefusal =
  | 'email_not_verified'
  | 'no_staff_account_for_email'
  | 'linked_to_another_identity'
  | 'not_a_staff_account'
  | 'account_inactive';

export type OidcSignIn =
  | { ok: true; userId: string; multiFactor: boolean; sid?: string; linked: boolean }
  | { ok: false; reason: OidcRefusal };

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Decides which staff account an ID token signs in. Once linked, the issuer and subject decide,
 * never the email. An unlinked account is linked on first use, only by an email claim that equals
 * the work email an admin entered and that the provider says it verified (the claim named by
 * OIDC_EMAIL_VERIFIED_CLAIM is `true`). Refusals and the link are audited.
 */
export async function resolveStaffSignIn(
  db: Db,
  ctx: AuditContext,
  issuer: string,
  claims: Record<string, unknown>,
  settings: Pick<OidcConfig, 'mfaAcr' | 'emailVerifiedClaim'>,
): Promise<OidcSignIn> {
  const subject = str(claims.sub);
  if (!subject) throw new Error('ID token without a subject');
  const linked = await findAccountBySubject(db, issuer, subject);
  const found = linked ? { account: linked } : await accountByEmail(db, claims, settings.emailVerifiedClaim);
  if ('refusal' in found) return refuse(db, ctx, found.refusal, null);
  const decision = canSignInWithOrganisation(found.account);
  if (!decision.allowed) return refuse(db, ctx, decision.reason as OidcRefusal, found.account.id);
  if (!linked && !(await linkAccount(db, ctx, found.account, issuer, subject)))
    return refuse(db, ctx, 'linked_to_another_identity', found.account.id);
  return {
    ok: true,
    userId: found.account.id,
    multiFactor: providerUsedMultiFactor(claims, settings.mfaAcr),
    sid: str(claims.sid),
    linked: !linked,
  };
}

async function accountByEmail(
  db: Db,
  claims: Record<string, unknown>,
  verifiedClaim: string,
): Promise<{ account: OidcAccount } | { refusal: OidcRefusal }> {
  const email = str(claims.email);
  // Only a provider's statement that it checked the address links an account (never a bare claim):
  // the boolean `true` in the configured claim (`email_verified`, or Entra ID's `xms_edov`).
  const verified = Object.hasOwn(claims, verifiedClaim) && claims[verifiedClaim] === true;
  if (!email || !verified) return { refusal: 'email_not_verified' };
  const account = await findAccountByWorkEmail(db, email);
  if (!account) return { refusal: 'no_staff_account_for_email' };
  if (account.oidcSubject !== null) return { refusal: 'linked_to_another_identity' };
  return { account };
}

async function linkAccount(
  db: Db,
  ctx: AuditContext,
  account: OidcAccount,
  issuer: string,
  subject: string,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    if (!(await linkSubject(trx, account.id, issuer, subject))) return false;
    await recordAudit(
      trx,
      { ...ctx, actorId: account.id },
      { action: 'account.organisation_link', targetType: 'user', targetId: account.id, details: { issuer } },
    );
    return true;
  });
}

async function refuse(db: Db, ctx: AuditContext, reason: OidcRefusal, userId: string | null): Promise<OidcSignIn> {
  await recordAudit(
    db,
    { ...ctx, actorId: userId },
    { action: 'login', outcome: 'failed', reason, details: { method: 'organisation' } },
  );
  return { ok: false, reason };
}

/**
 * The provider ended a person's session (back-channel logout): every SHaRON session of that person
 * ends and every socket closes (as a suspension does), audited. Returns how many people it ended.
 */
export async function endSessionsForProviderLogout(
  deps: { db: Db; realtime: Realtime },
  ctx: AuditContext,
  issuer: string,
  logout: { sub?: string; sid?: string },
): Promise<number> {
  const { db, realtime } = deps;
  const bySub = logout.sub ? await findAccountBySubject(db, issuer, logout.sub) : undefined;
  const userIds = bySub ? [bySub.id] : logout.sid ? await findUsersByProviderSession(db, logout.sid) : [];
  for (const userId of userIds) {
    await db.transaction(async (trx) => {
      const sessions = await deleteSessionsOfUser(trx, userId);
      await recordAudit(
        trx,
        { ...ctx, actorId: null },
        {
          action: 'session.end_all',
          targetType: 'user',
          targetId: userId,
          details: { by: 'organisation_logout', sessions },
        },
      );
    });
    // After the commit: the sockets close once their sessions are gone.
    realtime.disconnectUser(userId);
  }
  return userIds.length;
}
