import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * helmet with our CSP: no inline script or style, nothing from elsewhere. `formTargets`: other
 * origins a form may lead to (the organisation's sign-in: the button posts to SHaRON, which
 * redirects to the provider, and browsers hold that redirect to form-action).
 */
export function securityHeaders(isProduction: boolean, formTargets: readonly string[] = []): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'", ...formTargets],
        ...(isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** Pages about people are never cached by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The session's CSRF token as a page carries it: XORed with a fresh random pad, pad first. Pages are
 * compressed, so a secret repeated byte for byte in every page beside text an attacker can reflect
 * would leak through compressed sizes (BREACH); masked, the token differs in every page.
 */
export function maskToken(token: string): string {
  const raw = Buffer.from(token);
  const pad = randomBytes(raw.length);
  return Buffer.concat([pad, raw.map((b, i) => b ^ (pad[i] ?? 0))]).toString('base64url');
}

/** The token inside a masked one (anything malformed gives '', which matches no session's token). */
export function unmaskToken(masked: unknown): string {
  if (typeof masked !== 'string' || masked.length > 2048) return '';
  const bytes = Buffer.from(masked, 'base64url');
  if (bytes.length === 0 || bytes.length % 2 !== 0) return '';
  const half = bytes.length / 2;
  return Buffer.from(bytes.subarray(half).map((b, i) => b ^ (bytes[i] ?? 0))).toString();
}

/** Checks a token sent inside a multipart body against the session's. */
export type CsrfVerifier = (req: Request, token: string | undefined) => boolean;

/**
 * CSRF synchroniser tokens (csrf-sync) kept in the session; forms send `_csrf`, scripts the
 * `x-csrf-token` header. Multipart uploads are not parsed up front (they stream to disk), so their
 * token is checked by `verify` as the first field of the body, before any file is accepted.
 */
export function csrfProtection(): { protect: RequestHandler; exposeToken: RequestHandler; verify: CsrfVerifier } {
  const { csrfSynchronisedProtection, generateToken, getTokenFromState } = csrfSync({
    getTokenFromRequest: (req) =>
      unmaskToken(typeof req.body?._csrf === 'string' ? req.body._csrf : req.get('x-csrf-token')),
    // 32 random bytes (64 hex characters; 171 once masked) rather than the library's 128.
    size: 32,
    errorConfig: { statusCode: 403, message: 'invalid csrf token', code: 'EBADCSRFTOKEN' },
    skipCsrfProtection: (req) => req.is('multipart/form-data') === 'multipart/form-data',
  });
  const verify: CsrfVerifier = (req, masked) => {
    const token = unmaskToken(masked);
    const expected = getTokenFromState(req);
    if (!token || !expected || token.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(token), Buffer.from(expected));
  };
  const exposeToken: RequestHandler = (req, res, next) => {
    // Lazy: templates call csrfToken(), so a token (and so a stored session) is made only when a
    // page renders a form. Stray requests (a favicon, a browser's .well-known probe, a 404) never
    // create a session whose cookie would replace the visitor's and break the form they hold.
    // It reuses the session's token (no overwrite), so re-rendered forms carry a valid one. A page's
    // forms share one masking (a fresh pad per page is what hides the token from compression).
    let masked: { token: string; value: string } | undefined;
    res.locals.csrfToken = () => {
      const token = generateToken(req);
      if (masked?.token !== token) masked = { token, value: maskToken(token) };
      return masked.value;
    };
    next();
  };
  return { protect: csrfSynchronisedProtection, exposeToken, verify };
}

/**
 * Same-origin check on every state change, beside the token. Browsers say where a request came
 * from in Sec-Fetch-Site; without it, a real Origin must be ours. (Under Referrer-Policy
 * no-referrer a browser sends "Origin: null" on same-origin form posts, so Sec-Fetch-Site leads.)
 */
export function sameOrigin(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const site = req.get('sec-fetch-site');
    if (site) return next(site === 'same-origin' || site === 'none' ? undefined : new HttpError(403, 'cross_origin'));
    const origin = req.get('origin');
    const own = `${req.protocol}://${req.get('host')}`;
    if (origin && origin !== 'null' && origin !== own && !allowed.includes(origin))
      return next(new HttpError(403, 'cross_origin'));
    next();
  };
}
