import type { AccountStatus, Decision, Role } from './types.js';
import { ALLOW, deny } from './types.js';
import { mustUseTwoFactor } from './helpers.js';

/** Who is signing in: the account's role and status (no memberships needed). */
export interface SignInActor {
  role: Role;
  status: AccountStatus;
}

const isStaff = (a: SignInActor) => mustUseTwoFactor(a);

/**
 * Organisation sign-in (OpenID Connect, issue 16): staff only, and only an active account.
 * Members never use the organisation's provider: they keep their keys and nicknames.
 */
export function canSignInWithOrganisation(actor: SignInActor): Decision {
  if (!isStaff(actor)) return deny('not_a_staff_account', true);
  if (actor.status !== 'active') return deny('account_inactive', true);
  return ALLOW;
}

/** A password sign-in: members always; staff unless the trust turned staff passwords off (OIDC_STAFF_ONLY_SSO). */
export function canSignInWithPassword(actor: SignInActor, settings: { staffOnlySso: boolean }): Decision {
  if (settings.staffOnlySso && isStaff(actor)) return deny('role_not_permitted', false);
  return ALLOW;
}

/**
 * Whether the provider's multi-factor stands in for SHaRON's own second factor: only when the ID
 * token says so, by an `amr` value of a second factor or an `acr` the trust configured as one.
 */
export function providerUsedMultiFactor(claims: { amr?: unknown; acr?: unknown }, mfaAcr: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  if (amr.some((v) => MULTI_FACTOR_AMR.has(v))) return true;
  return typeof claims.acr === 'string' && mfaAcr.includes(claims.acr);
}

/** RFC 8176 methods that are, or include, a second factor. */
const MULTI_FACTOR_AMR = new Set([
  'mfa',
  'otp',
  'hwk',
  'swk',
  'sms',
  'tel',
  'fpt',
  'face',
  'iris',
  'retina',
  'vbm',
  'sc',
]);
