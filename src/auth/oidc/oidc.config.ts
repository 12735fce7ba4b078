import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** The JWS algorithms SHaRON signs its client assertion with (private_key_jwt). */
export const CLIENT_KEY_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
] as const;
export type ClientKeyAlg = (typeof CLIENT_KEY_ALGS)[number];

/** The ES algorithm each EC curve signs with (Node's curve names). */
const EC_ALG: Record<string, ClientKeyAlg> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };

/** Reads OIDC_CLIENT_PRIVATE_KEY_FILE: an unencrypted PEM private key, RSA (2048 bits or more) or EC; else why not. */
function readPrivateKey(file: string): KeyObject | string {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (e) {
    return `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return `${file} is not a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", RSA or EC, not encrypted)`;
  }
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key;
  const bits = details?.modulusLength ?? 0;
  if (type === 'rsa' && bits >= 2048) return key;
  if (type === 'rsa') return `${file} holds a ${bits}-bit RSA key: use 2048 bits or more`;
  if (type === 'ec' && EC_ALG[details?.namedCurve ?? '']) return key;
  return `${file} holds a ${type ?? 'unknown'} key: use RSA (2048 bits or more) or EC (P-256, P-384 or P-521)`;
}

/** The algorithm a key signs with: OIDC_CLIENT_KEY_ALG, else RS256 for RSA and ES256 (its curve's) for EC. */
function keyAlg(key: KeyObject, wanted: ClientKeyAlg | undefined): { alg: ClientKeyAlg } | { mismatch: string } {
  if (key.asymmetricKeyType === 'ec') {
    const curveAlg = EC_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? 'ES256';
    if (!wanted || wanted === curveAlg) return { alg: curveAlg };
    return { mismatch: `the EC key in OIDC_CLIENT_PRIVATE_KEY_FILE signs with ${curveAlg}, not ${wanted}` };
  }
  if (!wanted) return { alg: 'RS256' };
  if (/^(RS|PS)/.test(wanted)) return { alg: wanted };
  return {
    mismatch: `the RSA key in OIDC_CLIENT_PRIVATE_KEY_FILE signs with RS256 to RS512 or PS256 to PS512, not ${wanted}`,
  };
}

/**
 * Staff sign-in with the organisation's OpenID Connect provider (Entra ID, NHS CIS2): optional.
 * Read by config.ts from the same environment: issuer, client id and exactly one credential (a client
 * secret or a private key for private_key_jwt), or none of them.
 */
export const OidcEnv = z.object({
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  // private_key_jwt (NHS CIS2 in production): the key is read and parsed at start-up, never later.
  OIDC_CLIENT_PRIVATE_KEY_FILE: z
    .string()
    .min(1)
    .max(4096)
    .transform((file, ctx) => {
      const read = readPrivateKey(file);
      if (typeof read === 'string') {
        ctx.addIssue({ code: 'custom', message: read });
        return z.NEVER;
      }
      return read;
    })
    .optional(),
  OIDC_CLIENT_KEY_ID: z.string().min(1).max(500).optional(),
  OIDC_CLIENT_KEY_ALG: z.enum(CLIENT_KEY_ALGS).optional(),
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

export type OidcClientAuth =
  | { readonly method: 'client_secret'; readonly secret: string }
  | {
      readonly method: 'private_key_jwt';
      readonly key: KeyObject;
      readonly alg: ClientKeyAlg;
      readonly keyId?: string;
    };

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  /** How SHaRON proves itself at the token endpoint: its client secret, or a signed JWT (private_key_jwt). */
  readonly clientAuth: OidcClientAuth;
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

const REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID'] as const;
const CREDENTIALS = ['OIDC_CLIENT_SECRET', 'OIDC_CLIENT_PRIVATE_KEY_FILE'] as const;
const RULE =
  'organisation sign-in needs OIDC_ISSUER, OIDC_CLIENT_ID and one of OIDC_CLIENT_SECRET or OIDC_CLIENT_PRIVATE_KEY_FILE';
type Issue = { path: string[]; message: string };

/**
 * What is wrong with the OIDC variables: issuer, client id and exactly one of a client secret or a
 * private key file, or none of them; a key id or algorithm only with a key that can use it.
 */
export function oidcIssues(env: OidcEnvInput & { PUBLIC_ORIGIN?: string }): Issue[] {
  const names = [...REQUIRED, ...CREDENTIALS];
  const set = names.filter((k) => env[k] !== undefined);
  const credentials = CREDENTIALS.filter((k) => env[k] !== undefined);
  if (credentials.length === 2)
    return [
      { path: ['OIDC_CLIENT_PRIVATE_KEY_FILE'], message: `cannot be set together with OIDC_CLIENT_SECRET (${RULE})` },
    ];
  const missing: Issue[] = REQUIRED.filter((k) => env[k] === undefined).map((k) => ({ path: [k], message: '' }));
  if (credentials.length === 0)
    missing.push({ path: ['OIDC_CLIENT_SECRET or OIDC_CLIENT_PRIVATE_KEY_FILE'], message: '' });
  const when = `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (${RULE})`;
  if (set.length > 0 && missing.length > 0) return missing.map((m) => ({ ...m, message: when }));
  const keyIssues = keySettingIssues(env);
  if (keyIssues.length > 0) return keyIssues;
  if (set.length === 0 && env.OIDC_STAFF_ONLY_SSO === 'true')
    return [{ path: ['OIDC_STAFF_ONLY_SSO'], message: `needs ${RULE}` }];
  if (set.length > 0 && !env.OIDC_REDIRECT_URI && !env.PUBLIC_ORIGIN)
    return [{ path: ['OIDC_REDIRECT_URI'], message: 'is required unless PUBLIC_ORIGIN is set' }];
  return [];
}

/** OIDC_CLIENT_KEY_ID and OIDC_CLIENT_KEY_ALG describe the private key: without it they mean nothing. */
function keySettingIssues(env: OidcEnvInput): Issue[] {
  const key = env.OIDC_CLIENT_PRIVATE_KEY_FILE;
  if (!key)
    return (['OIDC_CLIENT_KEY_ID', 'OIDC_CLIENT_KEY_ALG'] as const)
      .filter((k) => env[k] !== undefined)
      .map((k) => ({ path: [k], message: 'is only used with OIDC_CLIENT_PRIVATE_KEY_FILE' }));
  const alg = keyAlg(key, env.OIDC_CLIENT_KEY_ALG);
  return 'mismatch' in alg ? [{ path: ['OIDC_CLIENT_KEY_ALG'], message: alg.mismatch }] : [];
}

/** The organisation sign-in settings, or undefined when it is not configured. */
export function oidcConfig(env: OidcEnvInput & { PUBLIC_ORIGIN?: string }): OidcConfig | undefined {
  const clientAuth = oidcClientAuth(env);
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !clientAuth) return undefined;
  return Object.freeze({
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientAuth,
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

/** The client authentication the variables choose (oidcIssues has refused both, or a key that cannot sign). */
function oidcClientAuth(env: OidcEnvInput): OidcClientAuth | undefined {
  if (env.OIDC_CLIENT_SECRET) return Object.freeze({ method: 'client_secret', secret: env.OIDC_CLIENT_SECRET });
  const key = env.OIDC_CLIENT_PRIVATE_KEY_FILE;
  if (!key) return undefined;
  const alg = keyAlg(key, env.OIDC_CLIENT_KEY_ALG);
  if ('mismatch' in alg) throw new Error(alg.mismatch);
  return Object.freeze({ method: 'private_key_jwt', key, alg: alg.alg, keyId: env.OIDC_CLIENT_KEY_ID });
}
