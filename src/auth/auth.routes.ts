import { Router, type NextFunction, type Request, type Response } from 'express';
import type { PassportStatic } from 'passport';
import { z } from 'zod';
import { recordAudit, auditContext } from '../audit/audit.service.js';
import type { Db } from '../db/knex.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { findSessionUser } from './users.repo.js';
import type { SessionUser } from '../people/person.js';
import { checkTotp, recordTotpStep, twoFactorState, useRecoveryCode } from './two-factor.js';
import { canSignInWithPassword, isActive } from '../policy/index.js';
import type { LoginFailure } from './passport.js';
import { PasswordHashingBusy } from './passwords.js';
import type { LoginThrottle } from './login-throttle.js';
import type { Realtime } from '../realtime/realtime.js';
import { describeDevice } from '../account/device.js';
import { saveSession } from './session.js';

const LoginBody = z.object({
  username: z.string().trim().min(1, 'Enter your username').max(200, 'Enter your username'),
  password: z.string().min(1, 'Enter your password').max(1000, 'Enter your password'),
  _csrf: z.string().optional(),
});

const LoginQuery = z.object({ expired: z.string().optional(), signedout: z.string().optional() }).loose();

const GENERIC = 'The username or password is not right. Check them and try again.';
const SUSPENDED = 'Your account is suspended. Contact your care team if you think this is wrong.';
const CodeBody = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'Enter the code from your authenticator app, or a recovery code')
    .max(20, 'Enter the 6-digit code from your app'),
  _csrf: z.string().optional(),
});

export interface AuthDeps {
  db: Db;
  passport: PassportStatic;
  throttle: LoginThrottle;
  realtime: Realtime;
  /** The time two-factor codes are checked against (tests inject one; production reads the system clock). */
  clock: () => Date;
  /** OIDC_STAFF_ONLY_SSO: staff sign in with their organisation only. */
  staffOnlySso?: boolean;
}
type Deps = AuthDeps;

function renderLogin(res: Response, status: number, username: string, errors: FormErrors, notice?: string): void {
  res.status(status).render('auth/login', { title: 'Sign in', username, errors, notice });
}

/** With OIDC_STAFF_ONLY_SSO the sign-in page tells staff, before they try, to use the organisation button. */
function staffPasswordsNotice(deps: Deps) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.locals.staffPasswordsOff = deps.staffOnlySso === true;
    next();
  };
}

/** GET /login, POST /login, POST /logout. */
export function authRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/login', staffPasswordsNotice(deps), showLogin);
  r.post('/login', staffPasswordsNotice(deps), signIn(deps));
  r.get('/login/two-factor', showCodeForm);
  r.post('/login/two-factor', checkCode(deps));
  // A signed-in page that is in use (the living room) keeps its session alive.
  r.post('/session/keepalive', keepAlive);
  r.post('/logout', signOut(deps));
  return r;
}

function showLogin(req: Request, res: Response): void {
  if (req.user) return res.redirect(303, '/');
  const q = LoginQuery.safeParse(req.query);
  const notice =
    q.success && q.data.expired
      ? 'Your session ended. Sign in again to carry on.'
      : q.success && q.data.signedout
        ? 'You have signed out.'
        : undefined;
  renderLogin(res, 200, '', NO_ERRORS, notice);
}

function signIn(deps: Deps) {
  const { db, passport, throttle } = deps;
  return async (req: Request, res: Response, next: NextFunction) => {
    const form = parseForm(LoginBody, req.body);
    if (!form.ok) return renderLogin(res, 400, String(req.body?.username ?? '').slice(0, 200), form.errors);
    const { username } = form.data;
    const ip = req.ip ?? 'unknown';
    const wait = await throttle.retryAfter(username, ip);
    if (wait > 0) {
      await recordAudit(db, auditContext(req), {
        action: 'login',
        outcome: 'throttled',
        details: { username_length: username.length },
      });
      return renderThrottled(res, username, wait);
    }
    passport.authenticate('local', (err: unknown, user: SessionUser | false, failure?: LoginFailure) => {
      if (err instanceof PasswordHashingBusy) return renderBusy(res, username, err);
      if (err) return next(err);
      if (!user) return onFailure(deps, req, res, username, failure).catch(next);
      onSuccess(deps, req, res, username, user).catch(next);
    })(req, res, next);
  };
}

/** Too many failed attempts for this username or address: wait, and say for how long. */
function renderThrottled(res: Response, username: string, wait: number): void {
  res.set('Retry-After', String(wait));
  const minutes = Math.ceil(wait / 60);
  renderLogin(
    res,
    429,
    username,
    formErrors([
      {
        field: 'username',
        message: `Too many attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
      },
    ]),
  );
}

/** Too many sign-ins at this moment: nothing was checked, so nothing counts against the person. */
function renderBusy(res: Response, username: string, busy: PasswordHashingBusy): void {
  res.set('Retry-After', String(busy.retryAfterSeconds));
  renderLogin(
    res,
    503,
    username,
    formErrors([
      { field: 'password', message: 'Many people are signing in at this moment. Wait a few seconds and try again.' },
    ]),
  );
}

async function onFailure(
  deps: Deps,
  req: Request,
  res: Response,
  username: string,
  failure: LoginFailure | undefined,
): Promise<void> {
  const reason = failure?.reason ?? 'bad_credentials';
  // "Suspended" is said only after a right password; to a staff account whose passwords are
  // off it would say the password was right, so it hears the generic answer like any other.
  const suspended = reason === 'account_inactive' && !(await passwordsOffFor(deps, failure?.userId ?? null));
  await refusePassword(deps, req, res, username, reason, failure?.userId ?? null, suspended ? SUSPENDED : GENERIC);
}

/** Whether the account is one whose SHaRON password never signs in (staff, with OIDC_STAFF_ONLY_SSO). */
async function passwordsOffFor(deps: Deps, userId: string | null): Promise<boolean> {
  if (!deps.staffOnlySso || !userId) return false;
  const user = await findSessionUser(deps.db, userId);
  return user !== undefined && !canSignInWithPassword(user, { staffOnlySso: true }).allowed;
}

/** A refused password: counted by the throttle, audited with its reason, answered 401 with `message`. */
async function refusePassword(
  { db, throttle }: Deps,
  req: Request,
  res: Response,
  username: string,
  reason: string,
  userId: string | null,
  message: string,
): Promise<void> {
  await throttle.recordFailure(username, req.ip ?? 'unknown');
  await recordAudit(db, { actorId: userId, ip: req.ip ?? null }, { action: 'login', outcome: 'failed', reason });
  renderLogin(res, 401, username, formErrors([{ field: 'username', message }]));
}

async function onSuccess(deps: Deps, req: Request, res: Response, username: string, user: SessionUser): Promise<void> {
  const returnTo = req.session.returnTo;
  // OIDC_STAFF_ONLY_SSO: a staff password is answered exactly as a wrong one (status, page, throttle),
  // after the same verification, so the answer never tells anyone the password was right. The sign-in
  // page tells staff beforehand to use the organisation button; the audit log keeps the real reason.
  if (!canSignInWithPassword(user, { staffOnlySso: deps.staffOnlySso ?? false }).allowed)
    return refusePassword(deps, req, res, username, 'staff_password_off', user.id, GENERIC);
  if (user.twoFactorEnabled) return beginSecondFactor(req, res, user.id, returnTo);
  await completeLogin(deps, req, res, user, returnTo, { twoFactor: false });
}

/** The first factor was right (a password, or the organisation without multi-factor): SHaRON's code decides. */
export async function beginSecondFactor(
  req: Request,
  res: Response,
  userId: string,
  returnTo: string | undefined,
  organisation?: { sid?: string },
): Promise<void> {
  // A new session id either way.
  await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
  req.session.pendingTwoFactor = { userId, returnTo, at: Date.now(), organisation };
  // Save before redirecting: express-session sends the headers before its own save finishes,
  // and a fast browser's next request must find the pending state.
  await saveSession(req);
  res.redirect(303, '/login/two-factor');
}

/** How a sign-in was completed: SHaRON's code, the organisation's multi-factor, or one factor. */
export interface SignInMethod {
  twoFactor: boolean | 'provider';
  /** Signed in with the organisation (its session id, when it sent one, for back-channel logout). */
  organisation?: { sid?: string };
}

/** Signs the person in (a new session id), audited, and sends them where they were going. */
export async function completeLogin(
  { db, throttle }: Deps,
  req: Request,
  res: Response,
  user: SessionUser,
  returnTo: string | undefined,
  method: SignInMethod,
): Promise<void> {
  // passport regenerates the session here: the id a visitor had before signing in stops working.
  await new Promise<void>((resolve, reject) => req.login(user, (e) => (e ? reject(e) : resolve())));
  req.session.createdAt = Date.now();
  req.session.device = describeDevice(req.get('user-agent'));
  if (method.organisation) req.session.organisationAt = Date.now();
  if (method.organisation?.sid) req.session.oidcSid = method.organisation.sid;
  if (method.twoFactor === 'provider') req.session.providerMfa = true;
  await saveSession(req);
  await throttle.recordSuccess(user.username, req.ip ?? 'unknown');
  await recordAudit(
    db,
    { actorId: user.id, ip: req.ip ?? null },
    {
      action: 'login',
      details: {
        two_factor: method.twoFactor !== false,
        ...(method.organisation ? { method: 'organisation' } : {}),
        ...(method.twoFactor === 'provider' ? { second_factor: 'organisation' } : {}),
      },
    },
  );
  res.redirect(303, returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
}

const renderCode = (res: Response, status: number, errors: FormErrors) =>
  res.status(status).render('auth/two-factor', { title: 'Enter your code', errors });
const pending = (req: Request) => {
  const p = req.session.pendingTwoFactor;
  return p && Date.now() - p.at < 5 * 60_000 ? p : undefined;
};

function showCodeForm(req: Request, res: Response): void {
  return pending(req) ? renderCode(res, 200, NO_ERRORS) : res.redirect(303, '/login');
}

function checkCode(deps: Deps) {
  const { db, throttle, clock } = deps;
  return async (req: Request, res: Response) => {
    const p = pending(req);
    if (!p) return res.redirect(303, '/login?expired=1');
    const user = await findSessionUser(db, p.userId);
    const form = parseForm(CodeBody, req.body);
    if (!user || !isActive(user)) return res.redirect(303, '/login');
    const ip = req.ip ?? 'unknown';
    if ((await throttle.retryAfter(user.username, ip)) > 0)
      return renderCode(
        res,
        429,
        formErrors([{ field: 'code', message: 'Too many attempts. Wait 15 minutes and try again.' }]),
      );
    if (!form.ok) return renderCode(res, 400, form.errors);
    const code = form.data.code.replace(/\s+/g, '');
    const state = await twoFactorState(db, user.id);
    const step = state.secret ? await checkTotp(state.secret, code, state.lastStep, clock()) : null;
    const ok = step !== null ? await recordTotpStep(db, user.id, step) : await useRecoveryCode(db, user.id, code);
    if (!ok) {
      await throttle.recordFailure(user.username, ip);
      await recordAudit(
        db,
        { actorId: user.id, ip },
        { action: 'login', outcome: 'failed', reason: 'bad_second_factor' },
      );
      return renderCode(
        res,
        401,
        formErrors([
          {
            field: 'code',
            message: 'That code is not right, or it has been used already. Enter the newest code from your app.',
          },
        ]),
      );
    }
    delete req.session.pendingTwoFactor;
    await completeLogin(deps, req, res, user, p.returnTo, { twoFactor: true, organisation: p.organisation });
  };
}

function keepAlive(req: Request, res: Response): void {
  res.status(req.user ? 204 : 401).end();
}

function signOut({ db, realtime }: Deps) {
  return async (req: Request, res: Response) => {
    if (req.user) await recordAudit(db, auditContext(req), { action: 'logout' });
    const sid = req.sessionID;
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    realtime.disconnectSession(sid);
    res.redirect(303, '/login?signedout=1');
  };
}
