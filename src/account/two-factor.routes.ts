import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { findLoginByUsername } from '../auth/auth.service.js';
import {
  checkTotp,
  enableTotp,
  enrolmentQr,
  issueRecoveryCodes,
  newTotpSecret,
  twoFactorState,
} from '../auth/two-factor.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { mustUseTwoFactor } from '../policy/index.js';

const Enrol = z.strictObject({
  // Not asked right after an organisation sign-in (which re-authenticated the person): see below.
  current: z.string().max(1000).optional(),
  code: z
    .string({ error: 'Enter the 6-digit code from your app' })
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your app'),
  _csrf: z.string().optional(),
});

const ALLOWED_BEFORE_ENROLMENT = ['/account/two-factor', '/logout', '/help', '/session/keepalive'];

/** Staff without two-factor sign-in can only set it up (or sign out) until they have. */
export const requireTwoFactorForStaff: RequestHandler = (req, res, next) => {
  const user = req.user;
  // The organisation's own multi-factor (OpenID Connect amr/acr) stands in for SHaRON's for this session.
  if (!user || user.twoFactorEnabled || req.session.providerMfa || !mustUseTwoFactor(user)) return next();
  if (ALLOWED_BEFORE_ENROLMENT.includes(req.path)) return next();
  if (req.method === 'GET' && req.accepts('html')) return res.redirect(303, '/account/two-factor');
  res.status(403).json({ error: 'two_factor_required' });
};

const REAUTH_MS = 10 * 60_000;
const reauthenticatedByOrganisation = (req: Request) =>
  req.session.organisationAt !== undefined && Date.now() - req.session.organisationAt < REAUTH_MS;

/** Setting up two-factor sign-in: QR code, confirm with the password and a first code, recovery codes once. */
export function twoFactorRoutes({
  db,
  passwords,
  clock,
}: {
  db: Db;
  passwords: PasswordHasher;
  clock: () => Date;
}): Router {
  const r = Router();

  async function renderSetup(req: Request, res: Response, status: number, errors: FormErrors) {
    const actor = actorOf(req);
    const state = await twoFactorState(db, actor.id);
    if (state.enabled)
      return res.status(status).render('account/two-factor', {
        title: 'Two-factor sign-in',
        enabled: true,
        errors,
        required: mustUseTwoFactor(actor),
      });
    req.session.pendingTotpSecret ??= newTotpSecret();
    const { qr } = await enrolmentQr(req.session.pendingTotpSecret, actor.username);
    res.status(status).render('account/two-factor', {
      title: 'Set up two-factor sign-in',
      enabled: false,
      qr,
      secret: req.session.pendingTotpSecret,
      errors,
      required: mustUseTwoFactor(actor),
      askPassword: !reauthenticatedByOrganisation(req),
    });
  }

  r.get('/account/two-factor', requireUser, (req, res) => renderSetup(req, res, 200, NO_ERRORS));

  r.post('/account/two-factor', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const form = parseForm(Enrol, req.body);
    const secret = req.session.pendingTotpSecret;
    if (!form.ok || !secret) return renderSetup(req, res, 400, form.ok ? NO_ERRORS : form.errors);
    // Re-authenticate before changing two-factor settings (SECURITY.md): the password, or an
    // organisation sign-in of the last few minutes (staff whose passwords are off have none).
    if (!reauthenticatedByOrganisation(req)) {
      if (!form.data.current)
        return renderSetup(req, res, 400, formErrors([{ field: 'current', message: 'Enter your password' }]));
      const login = await findLoginByUsername(db, actor.username);
      if (!(await passwords.verify(login?.passwordHash ?? null, form.data.current)))
        return renderSetup(req, res, 400, formErrors([{ field: 'current', message: 'Your password is not right' }]));
    }
    const step = await checkTotp(secret, form.data.code, null, clock());
    if (step === null)
      return renderSetup(
        req,
        res,
        400,
        formErrors([
          { field: 'code', message: 'That code is not right. Check the time on your phone and enter the newest code' },
        ]),
      );
    await enableTotp(db, actor.id, secret, step);
    const codes = await issueRecoveryCodes(db, actor.id);
    delete req.session.pendingTotpSecret;
    await recordAudit(db, auditContext(req), { action: 'two_factor.enable' });
    res.render('account/recovery-codes', { title: 'Your recovery codes', codes });
  });

  return r;
}
