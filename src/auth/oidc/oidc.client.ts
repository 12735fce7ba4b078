import * as client from 'openid-client';
import { createRemoteJWKSet, importPKCS8, jwtVerify, type JWTPayload } from 'jose';
import type { OidcClientAuth, OidcConfig } from './oidc.config.js';

/** The provider could not be reached (discovery or token exchange): the page says try again. */
export class ProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super('organisation sign-in provider unavailable', { cause });
    this.name = 'ProviderUnavailable';
  }
}

/** What a sign-in keeps in the session between the redirect and the callback (single use). */
export interface PendingOidc {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo?: string;
  at: number;
}

export interface OidcClient {
  /** The provider's sign-in URL and the checks to keep in the session. @throws ProviderUnavailable */
  start(): Promise<{ url: string; pending: Omit<PendingOidc, 'returnTo' | 'at'> }>;
  /** Exchanges the code; state, nonce and PKCE are checked. @throws ProviderUnavailable or a check failure */
  finish(callbackQuery: string, pending: PendingOidc): Promise<Record<string, unknown>>;
  /** Validates a back-channel logout token (signature, iss, aud, iat, events, sid or sub, no nonce). */
  verifyLogoutToken(token: string): Promise<{ sub?: string; sid?: string }>;
  readonly issuer: string;
}

const DISCOVERY_TIMEOUT_SECONDS = 5;
const RETRY_AFTER_FAILURE_MS = 10_000;
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** A plain-http issuer is accepted only on this machine (tests, a local provider), never in production. */
const isLocalHttp = (issuer: string, isProduction: boolean) =>
  !isProduction && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(issuer);

/**
 * The OpenID Connect client. Discovery happens on first use, not at start-up: a provider that is
 * down never stops SHaRON starting; a failure is remembered for ten seconds, then tried again.
 */
export function createOidcClient(settings: OidcConfig, isProduction: boolean): OidcClient {
  let discovered: Promise<client.Configuration> | undefined;
  let tokenEndpoint: string | undefined;
  let failedAt = 0;
  const insecure = isLocalHttp(settings.issuer, isProduction);

  function configuration(): Promise<client.Configuration> {
    if (!discovered && Date.now() - failedAt < RETRY_AFTER_FAILURE_MS)
      return Promise.reject(new ProviderUnavailable('discovery failed recently'));
    discovered ??= clientAuthentication(settings.clientAuth, () => tokenEndpoint)
      .then(({ secret, auth }) =>
        client
          .discovery(new URL(settings.issuer), settings.clientId, secret, auth, {
            timeout: DISCOVERY_TIMEOUT_SECONDS,
            ...(insecure ? { execute: [client.allowInsecureRequests] } : {}),
          })
          .catch((e: unknown) => {
            failedAt = Date.now();
            throw new ProviderUnavailable(e);
          }),
      )
      .then((config) => {
        tokenEndpoint = config.serverMetadata().token_endpoint;
        return config;
      })
      .catch((e: unknown) => {
        discovered = undefined;
        throw e;
      });
    return discovered;
  }

  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  return {
    issuer: settings.issuer,
    async start() {
      const config = await configuration();
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, pending: { state, nonce, codeVerifier } };
    },
    async finish(callbackQuery, pending) {
      const config = await configuration();
      const current = new URL(settings.redirectUri);
      current.search = callbackQuery;
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      return { ...(tokens.claims() ?? {}) };
    },
    async verifyLogoutToken(token) {
      const config = await configuration();
      const meta = config.serverMetadata();
      if (!meta.jwks_uri) throw new Error('the provider publishes no jwks_uri');
      jwks ??= createRemoteJWKSet(new URL(meta.jwks_uri));
      const { payload } = await jwtVerify(token, jwks, {
        issuer: meta.issuer,
        audience: settings.clientId,
        requiredClaims: ['iat'],
        maxTokenAge: '5m',
      });
      return logoutSubject(payload);
    },
  };
}

/**
 * The secret, or the private_key_jwt signer: the PEM key read at start-up, imported as a WebCrypto
 * key (openid-client signs with those) that cannot be exported. The assertion's `aud` is the token
 * endpoint (OpenID Connect Core §9 says it SHOULD be; NHS CIS2's ForgeRock AM requires it), not
 * openid-client's default of the issuer; with the issuer fixed by configuration, that endpoint
 * comes from the issuer's own discovery document.
 */
async function clientAuthentication(
  settings: OidcClientAuth,
  tokenEndpoint: () => string | undefined,
): Promise<{ secret?: string; auth?: client.ClientAuth }> {
  if (settings.method === 'client_secret') return { secret: settings.secret };
  const pem = settings.key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = await importPKCS8(pem, settings.alg);
  const auth = client.PrivateKeyJwt(
    { key, kid: settings.keyId },
    {
      [client.modifyAssertion]: (_header, payload) => {
        payload.aud = tokenEndpoint() ?? payload.aud;
      },
    },
  );
  return { auth };
}

/** OpenID Connect Back-Channel Logout 1.0 §2.6: the events claim, sid or sub, and no nonce. */
function logoutSubject(payload: JWTPayload): { sub?: string; sid?: string } {
  const events = payload.events as Record<string, unknown> | undefined;
  if (!events || typeof events !== 'object' || typeof events[LOGOUT_EVENT] !== 'object')
    throw new Error('not a logout token: no back-channel logout event');
  if ('nonce' in payload) throw new Error('a logout token must not carry a nonce');
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
  if (!payload.sub && !sid) throw new Error('a logout token names a sub or a sid');
  return { sub: payload.sub, sid };
}
