import { Router, type Response } from 'express';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { createFailureLimiter } from '../http/rate-limit.js';
import { findSessionUser } from '../auth/auth.service.js';
import { describeDevice } from '../account/device.js';
import { saveSession } from '../auth/session.js';
import { MEMBER_ROLES } from '../policy/index.js';
import { MEMBER_ROLE_LABELS } from '../people/labels.js';
import { IssueKeyBody, JoinQuery, RedeemKeyBody } from './keys.schemas.js';
import { formatKeyCode, issueKey, keysPage, redeemKey, revokeKey, type KeysPage } from './keys.service.js';
import type { PasswordHasher } from '../auth/passwords.js';

const keep = (body: unknown, fields: string[]): Record<string, string> =>
  Object.fromEntries(
    fields.map((f) => [f, String((body as Record<string, unknown> | undefined)?.[f] ?? '').slice(0, 200)]),
  );

/** Key pages: clinicians issue and revoke; anyone with a key redeems it at /join. */
export function keysRoutes({ db, config, passwords }: { db: Db; config: Config; passwords: PasswordHasher }): Router {
  const r = Router();
  const redeemLimiter = createFailureLimiter(db, 'key_redeem_ip', 20, 3600);

  const renderKeys = (
    res: Response,
    status: number,
    page: KeysPage,
    values: Record<string, string>,
    errors: FormErrors,
    notice?: string,
  ) =>
    res.status(status).render('keys/index', {
      title: `Keys for ${page.subnet.name}`,
      ...page,
      values,
      errors,
      notice,
      roles: MEMBER_ROLES,
      roleLabels: MEMBER_ROLE_LABELS,
      now: new Date(),
    });

  r.get('/subnets/:subnetId/keys', requireUser, async (req, res) => {
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), new Date());
    const notice = req.query.revoked === '1' ? 'The key was withdrawn. It can no longer be used.' : undefined;
    renderKeys(res, 200, page, { expiryDays: String(config.keyExpiryDays), role: 'patient' }, NO_ERRORS, notice);
  });

  r.post('/subnets/:subnetId/keys', requireUser, async (req, res) => {
    const now = new Date();
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), now);
    const values = keep(req.body, ['cohortId', 'role', 'privateReference', 'expiryDays']);
    const form = parseForm(IssueKeyBody, req.body);
    if (!form.ok) return renderKeys(res, 400, page, values, form.errors);
    const issued = await issueKey(db, auditContext(req), page, form.data, now);
    if (!issued.ok) return renderKeys(res, 400, page, values, issued.errors);
    const code = formatKeyCode(issued.code);
    const origin = config.publicOrigin ?? `${req.protocol}://${req.get('host')}`;
    res.render('keys/issued', {
      title: 'Key issued',
      subnet: page.subnet,
      code,
      link: `${origin}/join?key=${code}`,
      expiresAt: issued.expiresAt,
    });
  });

  r.post('/subnets/:subnetId/keys/:keyId/revoke', requireUser, async (req, res) => {
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), new Date());
    await revokeKey(db, auditContext(req), page, idParam(req.params.keyId));
    res.redirect(303, `/subnets/${page.subnet.id}/keys?revoked=1`);
  });

  const renderJoin = (res: Response, status: number, values: Record<string, string>, errors: FormErrors) =>
    res.status(status).render('keys/join', { title: 'Use your key', values, errors });

  r.get('/join', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    const q = JoinQuery.safeParse(req.query);
    renderJoin(res, 200, { key: q.success ? (q.data.key ?? '') : '' }, NO_ERRORS);
  });

  r.post('/join', async (req, res) => {
    const values = keep(req.body, ['key', 'username', 'nickname']);
    const ip = req.ip ?? 'unknown';
    const wait = await redeemLimiter.retryAfter(ip);
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      return renderJoin(
        res,
        429,
        values,
        formErrors([
          { field: 'key', message: `Too many attempts. Wait ${Math.ceil(wait / 60)} minutes and try again.` },
        ]),
      );
    }
    const form = parseForm(RedeemKeyBody, req.body);
    if (!form.ok) return renderJoin(res, 400, values, form.errors);
    const result = await redeemKey(db, passwords, auditContext(req), form.data);
    if (!result.ok) {
      if (result.errors.byField.key) await redeemLimiter.recordFailure(ip);
      return renderJoin(res, 400, values, result.errors);
    }
    const user = await findSessionUser(db, result.userId);
    if (!user) throw new Error('redeemed user vanished');
    await new Promise<void>((resolve, reject) => req.login(user, (e) => (e ? reject(e) : resolve())));
    req.session.createdAt = Date.now();
    req.session.device = describeDevice(req.get('user-agent'));
    await saveSession(req);
    res.redirect(303, '/?welcome=1');
  });

  return r;
}
