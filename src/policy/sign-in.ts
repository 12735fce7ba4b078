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
 * Whether the provider's sign-in stands in for SHaRON's own second factor (RFC 8176 read strictly).
 * Yes when the ID token's `amr` contains `mfa`, or methods of at least two different kinds
 * (something you know, have, are: `pwd` + `otp`, `pwd` + `hwk`, `hwk` + `pin`); or its `acr` is
 * one the trust listed in OIDC_MFA_ACR. One method is one factor, however strong (`otp`, `sms`,
 * `hwk` alone, an SMS code is not two factors); two of the same kind (`pwd` + `pin`) are not two
 * factors either. Methods that are no factor of their own (`geo`, `rba`, `user`, `wia`, `mca`)
 * and names RFC 8176 does not define count for nothing.
 */
export function providerUsedMultiFactor(claims: { amr?: unknown; acr?: unknown }, mfaAcr: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((v): v is string => typeof v === 'string') : [];
  if (amr.includes('mfa')) return true;
  const kinds = new Set(amr.map((method) => FACTOR_KIND.get(method)).filter((kind) => kind !== undefined));
  if (kinds.size >= 2) return true;
  return typeof claims.acr === 'string' && mfaAcr.includes(claims.acr);
}

type FactorKind = 'know' | 'have' | 'are';

/** RFC 8176 section 2: the methods that are one authentication factor, by the kind of factor. */
const FACTOR_KIND: ReadonlyMap<string, FactorKind> = new Map([
  // Something you know.
  ['pwd', 'know'],
  ['pin', 'know'],
  ['kba', 'know'],
  // Something you have.
  ['otp', 'have'],
  ['sms', 'have'],
  ['tel', 'have'],
  ['hwk', 'have'],
  ['swk', 'have'],
  ['sc', 'have'],
  // Something you are.
  ['fpt', 'are'],
  ['face', 'are'],
  ['iris', 'are'],
  ['retina', 'are'],
  ['vbm', 'are'],
]);
