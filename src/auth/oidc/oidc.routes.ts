import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { auditContext, recordAudit } from '../../audit/audit.service.js';
import { validate } from '../../http/validate.js';
import { findSessionUser } from '../auth.service.js';
import { beginSecondFactor, completeLogin, type AuthDeps } from '../auth.routes.js';
import { saveSession } from '../session.js';
import type { OidcConfig } from './oidc.config.js';
import { ProviderUnavailable, type OidcClient } from './oidc.client.js';
import { endSessionsForProviderLogout, resolveStaffSignIn, type OidcRefusal } from './oidc.service.js';

const PENDING_MS = 10 * 60_000;
const StartBody = z.strictObject({ _csrf: z.string().max(1000).optional() });
/** The provider's answer: a code and our state, or an error it names. Bounded; other parameters refused. */
const CallbackQuery = z.strictObject({
  code: z.string().max(4000).optional(),
  state: z.string().max(500).optional(),
  iss: z.string().max(500).optional(),
  session_state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
const LogoutBody = z.object({ logout_token: z.string().min(1).max(16_000) });

export interface OidcDeps extends AuthDeps {
  oidc: OidcConfig;
  client: OidcClient;
}

const REFUSED: Record<OidcRefusal | 'expired' | 'failed' | 'cancelled', string[]> = {
  email_not_verified: [
    'Your organisation did not confirm your email address, so SHaRON cannot tell which staff account is yours.',
    'Ask your SHaRON administrator to check the work email on your staff account, or sign in with your SHaRON username and password if you have one.',
  ],
  no_staff_account_for_email: [
    'There is no SHaRON staff account for your work email address.',
    'Ask your SHaRON administrator to add your work email to your staff account. Members of SHaRON sign in with their username and password.',
  ],
  linked_to_another_identity: [
    'The SHaRON staff account with your email is already linked to a different work account.',
    'Ask your SHaRON administrator to check your staff account.',
  ],
  not_a_staff_account: [
    'Signing in with a work account is for staff only. Members sign in with their username and password.',
  ],
  account_inactive: ['Your SHaRON account is suspended. Contact your SHaRON administrator if you think this is wrong.'],
  expired: ['Your sign-in took too long, or it was started in another window.', 'Start again from the sign-in page.'],
  failed: [
    'Your organisation’s answer could not be checked, so you have not been signed in.',
    'Start again from the sign-in page.',
  ],
  cancelled: ['Signing in with your work account was cancelled or refused by your organisation.'],
};

function refusedPage(res: Response, status: number, why: keyof typeof REFUSED): void {
  res.status(status).render('auth/organisation', { title: 'You have not been signed in', paragraphs: REFUSED[why] });
}

function unavailablePage(res: Response): void {
  res.set('Retry-After', '30');
  res.status(503).render('auth/organisation', {
    title: 'Sign-in with your organisation is unavailable',
    paragraphs: [
      'SHaRON cannot reach your organisation’s sign-in service at the moment. Try again in a few minutes.',
      'If you have a SHaRON username and password, you can use them instead.',
    ],
  });
}

/** POST /auth/oidc/start, GET /auth/oidc/callback: staff sign-in with the organisation's provider. */
export function oidcRoutes(deps: OidcDeps): Router {
  const r = Router();
  r.post('/auth/oidc/start', validate({ body: StartBody }), start(deps));
  r.get('/auth/oidc/callback', callback(deps));
  return r;
}

/**
 * POST /auth/oidc/backchannel-logout: the provider says a person's session ended. Mounted before
 * sessions, CSRF and the same-origin check: the provider is the caller and the signed token proves it.
 */
export function oidcLogoutRoute(deps: Pick<OidcDeps, 'db' | 'realtime' | 'client'>): Router {
  const r = Router();
  r.post('/auth/oidc/backchannel-logout', validate({ body: LogoutBody }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const token = LogoutBody.parse(req.body).logout_token;
    const logout = await deps.client.verifyLogoutToken(token).catch((e: unknown) => e as Error);
    if (logout instanceof Error) {
      const reason = logout instanceof ProviderUnavailable ? 'provider_unavailable' : 'logout_token_invalid';
      await recordAudit(deps.db, auditContext(req), { action: 'session.end_all', outcome: 'failed', reason });
      return res.status(logout instanceof ProviderUnavailable ? 503 : 400).json({ error: 'invalid_request' });
    }
    await endSessionsForProviderLogout(deps, auditContext(req), deps.client.issuer, logout);
    res.status(200).end();
  });
  return r;
}

function start(deps: OidcDeps) {
  return async (req: Request, res: Response) => {
    if (req.user) return res.redirect(303, '/');
    const started = await deps.client.start().catch((e: unknown) => e as Error);
    if (started instanceof ProviderUnavailable) return unavailablePage(res);
    if (started instanceof Error) throw started;
    req.session.oidcPending = { ...started.pending, returnTo: req.session.returnTo, at: Date.now() };
    await saveSession(req);
    res.redirect(303, started.url);
  };
}

function callback(deps: OidcDeps) {
  return async (req: Request, res: Response) => {
    const pending = req.session.oidcPending;
    // Single use: whatever happens next, this state, nonce and verifier never work again.
    delete req.session.oidcPending;
    await saveSession(req);
    const query = CallbackQuery.safeParse(req.query);
    const ctx = auditContext(req);
    const fail = async (reason: string, status: number, why: keyof typeof REFUSED) => {
      await recordAudit(deps.db, ctx, {
        action: 'login',
        outcome: 'failed',
        reason,
        details: { method: 'organisation' },
      });
      refusedPage(res, status, why);
    };
    if (!pending || Date.now() - pending.at > PENDING_MS) return fail('oidc_no_pending_sign_in', 400, 'expired');
    if (!query.success) return fail('oidc_bad_callback', 400, 'failed');
    if (query.data.error) return fail('oidc_provider_error', 401, 'cancelled');
    const search = new URL(req.originalUrl, 'http://x').search;
    const claims = await deps.client.finish(search, pending).catch((e: unknown) => e as Error);
    if (claims instanceof ProviderUnavailable) return unavailablePage(res);
    if (claims instanceof Error) return fail('oidc_check_failed', 400, 'failed');
    const outcome = await resolveStaffSignIn(deps.db, ctx, deps.client.issuer, claims, deps.oidc);
    if (!outcome.ok) return refusedPage(res, 403, outcome.reason);
    const user = await findSessionUser(deps.db, outcome.userId);
    if (!user) return refusedPage(res, 403, 'account_inactive');
    const organisation = { sid: outcome.sid };
    if (outcome.multiFactor)
      return completeLogin(deps, req, res, user, pending.returnTo, { twoFactor: 'provider', organisation });
    // The provider used one factor: SHaRON's own code is still asked (or set up, for staff without one).
    if (user.twoFactorEnabled) return beginSecondFactor(req, res, user.id, pending.returnTo, organisation);
    await completeLogin(deps, req, res, user, pending.returnTo, { twoFactor: false, organisation });
  };
}
