import { Router, type RequestHandler, type Response } from 'express';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { createFailureLimiter, type FailureLimiter } from '../http/rate-limit.js';
import { findSessionUser } from '../auth/auth.service.js';
import { describeDevice } from '../account/device.js';
import { saveSession } from '../auth/session.js';
import { MEMBER_ROLES } from '../policy/index.js';
import { MEMBER_ROLE_LABELS } from '../people/labels.js';
import { IssueKeyBody, JoinQuery } from './keys.schemas.js';
import { checkJoinForm } from './join-check.js';
import { joinLinkQrSvg } from './key-card.js';
import { formatKeyCode, issueKey, keysPage, redeemKey, revokeKey, type KeysPage } from './keys.service.js';
import type { PasswordHasher } from '../auth/passwords.js';

const keep = (body: unknown, fields: string[]): Record<string, string> =>
  Object.fromEntries(
    fields.map((f) => [f, String((body as Record<string, unknown> | undefined)?.[f] ?? '').slice(0, 200)]),
  );

/** What the key pages need. */
interface KeysDeps {
  db: Db;
  config: Config;
  passwords: PasswordHasher;
}

/** Key pages: clinicians issue and revoke; anyone with a key redeems it at /join. */
export function keysRoutes(deps: KeysDeps): Router {
  const r = Router();
  const redeemLimiter = createFailureLimiter(deps.db, 'key_redeem_ip', 20, 3600);
  r.get('/subnets/:subnetId/keys', requireUser, keysIndex(deps));
  r.post('/subnets/:subnetId/keys', requireUser, issueKeyPage(deps));
  r.post('/subnets/:subnetId/keys/:keyId/revoke', requireUser, revokeKeyPage(deps));
  r.get('/join', joinForm);
  r.post('/join', redeemKeyPage(deps, redeemLimiter));
  return r;
}

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

/** GET /subnets/:subnetId/keys: the keys of a subnet and the form to issue one. */
const keysIndex =
  ({ db, config }: KeysDeps): RequestHandler =>
  async (req, res) => {
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), new Date());
    const notice = req.query.revoked === '1' ? 'The key was withdrawn. It can no longer be used.' : undefined;
    renderKeys(res, 200, page, { expiryDays: String(config.keyExpiryDays), role: 'patient' }, NO_ERRORS, notice);
  };

/** POST /subnets/:subnetId/keys: issues a key and shows it once, or re-renders the form at 400 with the input kept. */
const issueKeyPage =
  ({ db, config }: KeysDeps): RequestHandler =>
  async (req, res) => {
    const now = new Date();
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), now);
    const values = keep(req.body, ['cohortId', 'role', 'privateReference', 'expiryDays']);
    const form = parseForm(IssueKeyBody, req.body);
    if (!form.ok) return renderKeys(res, 400, page, values, form.errors);
    const issued = await issueKey(db, auditContext(req), page, form.data, now);
    if (!issued.ok) return renderKeys(res, 400, page, values, issued.errors);
    const code = formatKeyCode(issued.code);
    const origin = config.publicOrigin ?? `${req.protocol}://${req.get('host')}`;
    const link = `${origin}/join?key=${code}`;
    // The key is on this page only: never kept by a browser or proxy, never sent on as a referrer.
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.render('keys/issued', {
      title: 'Key issued',
      subnet: page.subnet,
      cohortName: page.cohorts.find((c) => c.id === form.data.cohortId)?.name ?? '',
      roleLabel: MEMBER_ROLE_LABELS[form.data.role],
      code,
      link,
      qrSvg: await joinLinkQrSvg(link),
      expiresAt: issued.expiresAt,
    });
  };

/** POST /subnets/:subnetId/keys/:keyId/revoke: withdraws a key. */
const revokeKeyPage =
  ({ db }: KeysDeps): RequestHandler =>
  async (req, res) => {
    const page = await keysPage(db, actorOf(req), idParam(req.params.subnetId), new Date());
    await revokeKey(db, auditContext(req), page, idParam(req.params.keyId));
    res.redirect(303, `/subnets/${page.subnet.id}/keys?revoked=1`);
  };

const renderJoin = (res: Response, status: number, values: Record<string, string>, errors: FormErrors) =>
  res.status(status).render('keys/join', { title: 'Use your key', values, errors });

/** GET /join: the form to use a key (the key prefilled from a link); signed-in people go home. */
const joinForm: RequestHandler = (req, res) => {
  if (req.user) return res.redirect(303, '/');
  const q = JoinQuery.safeParse(req.query);
  renderJoin(res, 200, { key: q.success ? (q.data.key ?? '') : '' }, NO_ERRORS);
};

/**
 * POST /join: redeems a key, creates the account and signs it in. Wrong input re-renders the form
 * at 400; too many wrong keys from one address answer 429 with Retry-After.
 */
const redeemKeyPage =
  ({ db, passwords }: KeysDeps, redeemLimiter: FailureLimiter): RequestHandler =>
  async (req, res) => {
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
    const form = await checkJoinForm(db, req.body);
    if (!form.ok) {
      if (form.keyRefused) await redeemLimiter.recordFailure(ip);
      return renderJoin(res, 400, values, form.errors);
    }
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
  };
