import { createHash } from 'node:crypto';
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { Realtime } from '../realtime/realtime.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import { NewPassword, type PasswordHasher } from '../auth/passwords.js';
import { endSessions, findLoginByUsername, listSessionsOf, updatePasswordHash } from '../auth/auth.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { notFound } from '../http/errors.js';
import { EmptyForm, validate } from '../http/validate.js';
import { exportMemberData } from './data-export.js';
import { canSeeOwnProgress } from '../policy/index.js';

const ChangePassword = z.strictObject({
  current: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(1000),
  password: NewPassword,
  _csrf: z.string().optional(),
});
const Handle = z.string().regex(/^[0-9a-f]{16}$/);

/** A session's public handle: never the session id itself (that is a secret). */
export const sessionHandle = (sid: string): string => createHash('sha256').update(sid).digest('hex').slice(0, 16);

/** What the account pages need. */
interface AccountDeps {
  db: Db;
  config: Config;
  realtime: Realtime;
  passwords: PasswordHasher;
}

/** Your account: change password (re-authenticating), your sessions, your data. */
export function accountRoutes(deps: AccountDeps): Router {
  const r = Router();
  r.get('/account', requireUser, (req, res) =>
    res.render('account/index', {
      title: 'Your account',
      can: { seeProgress: canSeeOwnProgress(actorOf(req)).allowed },
    }),
  );
  r.get('/account/password', requireUser, (_req, res) => renderPassword(res, 200, NO_ERRORS));
  r.post('/account/password', requireUser, changePassword(deps));
  r.get('/account/sessions', requireUser, sessionsPage(deps));
  r.post('/account/sessions/:handle/end', requireUser, endSession, endOneSession(deps));
  r.post('/account/sessions/end-others', requireUser, endOthers, endOtherSessions(deps));
  r.get('/account/data.json', requireUser, exportData(deps));
  return r;
}

const renderPassword = (res: Response, status: number, errors: FormErrors, notice?: string) =>
  res.status(status).render('account/password', { title: 'Change your password', errors, notice });

/**
 * POST /account/password: checks the current password, sets the new one, ends every other session
 * and gives this one a new id. Wrong input re-renders the form at 400.
 */
const changePassword =
  ({ db, realtime, passwords }: AccountDeps): RequestHandler =>
  async (req, res) => {
    const actor = actorOf(req);
    const form = parseForm(ChangePassword, req.body);
    if (!form.ok) return renderPassword(res, 400, form.errors);
    const login = await findLoginByUsername(db, actor.username);
    if (!(await passwords.verify(login?.passwordHash ?? null, form.data.current))) {
      await recordAudit(db, auditContext(req), {
        action: 'password.change',
        outcome: 'failed',
        reason: 'bad_current_password',
      });
      return renderPassword(
        res,
        400,
        formErrors([{ field: 'current', message: 'Your current password is not right' }]),
      );
    }
    if (form.data.password.toLowerCase().includes(actor.username.toLowerCase()))
      return renderPassword(
        res,
        400,
        formErrors([{ field: 'password', message: 'Your password must not contain your username' }]),
      );
    await updatePasswordHash(db, actor.id, await passwords.hash(form.data.password));
    // Every other session ends; this one gets a new id.
    const ended = await endSessions(db, actor.id, { allBut: req.sessionID });
    ended.forEach((sid) => realtime.disconnectSession(sid));
    const createdAt = req.session.createdAt;
    const device = req.session.device;
    await new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve, reject) => req.login(actor, (e) => (e ? reject(e) : resolve())));
    req.session.createdAt = createdAt;
    req.session.device = device;
    await recordAudit(db, auditContext(req), {
      action: 'password.change',
      details: { other_sessions_ended: ended.length },
    });
    renderPassword(res, 200, NO_ERRORS, 'Your password has been changed. You have been signed out everywhere else.');
  };

/** GET /account/sessions: where you are signed in, each session by its handle. */
const sessionsPage =
  ({ db, config }: AccountDeps): RequestHandler =>
  async (req, res) => {
    const notice = req.query.done ? 'Done.' : undefined;
    const sessions = (await listSessionsOf(db, actorOf(req).id, config.sessionIdleMs)).map((s) => ({
      ...s,
      handle: sessionHandle(s.sid),
      current: s.sid === req.sessionID,
    }));
    res.render('account/sessions', { title: 'Your sessions', sessions, notice });
  };

const endSession = validate({ params: z.strictObject({ handle: Handle }), body: EmptyForm });

/** POST /account/sessions/:handle/end: ends one of your other sessions (404 for this one or a stranger's). */
const endOneSession =
  ({ db, config, realtime }: AccountDeps): RequestHandler =>
  async (req, res) => {
    const { handle } = endSession.read(req).params;
    const actor = actorOf(req);
    const target = (await listSessionsOf(db, actor.id, config.sessionIdleMs)).find(
      (s) => sessionHandle(s.sid) === handle && s.sid !== req.sessionID,
    );
    if (!target) throw notFound();
    await endSessions(db, actor.id, { sid: target.sid });
    realtime.disconnectSession(target.sid);
    await recordAudit(db, auditContext(req), { action: 'session.end', details: { handle: sessionHandle(target.sid) } });
    res.redirect(303, '/account/sessions?done=1');
  };

const endOthers = validate({ body: EmptyForm });

/** POST /account/sessions/end-others: ends every session but this one. */
const endOtherSessions =
  ({ db, realtime }: AccountDeps): RequestHandler =>
  async (req, res) => {
    const ended = await endSessions(db, actorOf(req).id, { allBut: req.sessionID });
    ended.forEach((sid) => realtime.disconnectSession(sid));
    await recordAudit(db, auditContext(req), { action: 'session.end_others', details: { ended: ended.length } });
    res.redirect(303, '/account/sessions?done=1');
  };

/** GET /account/data.json: everything SHaRON holds about you, as a download; the export is audited. */
const exportData =
  ({ db }: AccountDeps): RequestHandler =>
  async (req, res) => {
    const data = await exportMemberData(db, actorOf(req).id);
    await recordAudit(db, auditContext(req), { action: 'data.export' });
    res.set('Content-Disposition', 'attachment; filename="my-sharon-data.json"');
    res.type('application/json').send(JSON.stringify(data, null, 2));
  };
