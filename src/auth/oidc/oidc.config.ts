import { z } from 'zod';

/**
 * Staff sign-in with the organisation's OpenID Connect provider (Entra ID, NHS CIS2): optional.
 * Read by config.ts from the same environment; all three of issuer, client id and secret, or none.
 */
export const OidcEnv = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
  // acr values that count as multi-factor, comma-separated (for example CIS2's AAL3 URI).
  OIDC_MFA_ACR: z.string().max(2000).optional(),
  OIDC_STAFF_ONLY_SSO: z.enum(['true', 'false']).default('false'),
  // The boolean ID-token claim that says the provider verified the email (Entra ID: xms_edov).
  OIDC_EMAIL_VERIFIED_CLAIM: z
    .string()
    .regex(/^[A-Za-z][\w.:-]{0,99}$/, 'OIDC_EMAIL_VERIFIED_CLAIM is a claim name such as email_verified or xms_edov')
    .default('email_verified'),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\w.:/-]+( [\w.:/-]+)*$/, 'OIDC_SCOPES is a space-separated list such as "openid email profile"')
    .default('openid email profile'),
  // The button's words on the sign-in page, for example "Sign in with NHSmail".
  OIDC_BUTTON_TEXT: z.string().min(1).max(60).default('Sign in with your organisation'),
});
export type OidcEnvInput = z.infer<typeof OidcEnv>;

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly scopes: string;
  /** acr values that mean the provider used more than one factor. */
  readonly mfaAcr: readonly string[];
  /** The ID-token claim whose value `true` says the email was verified (first sign-in links by it). */
  readonly emailVerifiedClaim: string;
  readonly buttonText: string;
  /** OIDC_STAFF_ONLY_SSO: staff cannot sign in with a SHaRON password. */
  readonly staffOnlySso: boolean;
}

const REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;

/** What is wrong with the OIDC variables: all three of issuer, client id and secret, or none. */
export function oidcIssues(env: OidcEnvInput & { PUBLIC_ORIGIN?: string }): { path: string[]; message: string }[] {
  const set = REQUIRED.filter((k) => env[k] !== undefined);
  if (set.length > 0 && set.length < REQUIRED.length)
    return REQUIRED.filter((k) => env[k] === undefined).map((k) => ({
      path: [k],
      message: `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (organisation sign-in needs all three of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET)`,
    }));
  if (set.length === 0 && env.OIDC_STAFF_ONLY_SSO === 'true')
    return [{ path: ['OIDC_STAFF_ONLY_SSO'], message: 'needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET' }];
  if (set.length === REQUIRED.length && !env.OIDC_REDIRECT_URI && !env.PUBLIC_ORIGIN)
    return [{ path: ['OIDC_REDIRECT_URI'], message: 'is required unless PUBLIC_ORIGIN is set' }];
  return [];
}

/** The organisation sign-in settings, or undefined when it is not configured. */
export function oidcConfig(env: OidcEnvInput & { PUBLIC_ORIGIN?: string }): OidcConfig | undefined {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return undefined;
  return Object.freeze({
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: env.OIDC_REDIRECT_URI ?? `${String(env.PUBLIC_ORIGIN).replace(/\/$/, '')}/auth/oidc/callback`,
    scopes: env.OIDC_SCOPES,
    mfaAcr: Object.freeze(
      (env.OIDC_MFA_ACR ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    emailVerifiedClaim: env.OIDC_EMAIL_VERIFIED_CLAIM,
    buttonText: env.OIDC_BUTTON_TEXT,
    staffOnlySso: env.OIDC_STAFF_ONLY_SSO === 'true',
  });
}
