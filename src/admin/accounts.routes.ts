import { Router, type RequestHandler, type Response } from 'express';
import { ROLE_LABELS } from '../people/labels.js';
import type { Db } from '../db/knex.js';
import { auditContext, exportAuditLog, listAuditActions, readAuditLog } from '../audit/audit.service.js';
import { listAllSubnets } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { validate } from '../http/validate.js';
import { authorize, canActOnAccount, STAFF_ROLES } from '../policy/index.js';
import { actorOf } from '../http/guards.js';
import { adminOnly, keptList, keptValues } from './admin.guard.js';
import { listAccounts, subnetIdsOf } from './admin.repo.js';
import { AuditQuery, StaffBody, StaffSubnetsBody, StaffWorkEmailBody } from './admin.schemas.js';
import { assignStaffSubnets, createStaff, saveStaffWorkEmail } from './admin.service.js';
import { findWorkIdentity } from '../auth/auth.service.js';
import {
  accountAction,
  confirmErase,
  confirmPromote,
  confirmSuspend,
  endAccountSessions,
  eraseAccount,
  listAccountsPage,
  loadAccount,
  PAGE,
  promoteAccount,
  reinstateAccount,
  suspendAccount,
  type AdminAccountDeps,
} from './accounts.handlers.js';

/** Admin pages for staff accounts, every account's status, and the audit log. */
export function adminAccountRoutes(deps: AdminAccountDeps): Router {
  const r = Router();
  const staffGuard = adminOnly('manage_staff');
  r.get('/admin/staff', ...staffGuard, listStaff(deps));
  r.get('/admin/staff/new', ...staffGuard, newStaffForm(deps));
  r.post('/admin/staff', ...staffGuard, createStaffAccount(deps));
  r.get('/admin/staff/:userId', ...staffGuard, staffMemberPage(deps));
  r.post('/admin/staff/:userId/subnets', ...staffGuard, assignSubnets(deps));
  r.post('/admin/staff/:userId/work-email', ...staffGuard, saveWorkEmail(deps));

  const accountsGuard = adminOnly('suspend_any_account');
  r.get('/admin/accounts', ...accountsGuard, listAccountsPage(deps));
  r.get('/admin/accounts/:userId/suspend', ...accountsGuard, confirmSuspend(deps));
  r.post('/admin/accounts/:userId/suspend', ...accountsGuard, suspendAccount(deps));
  r.post('/admin/accounts/:userId/reinstate', ...accountsGuard, accountAction, reinstateAccount(deps));
  r.get('/admin/accounts/:userId/make-peer-moderator', ...staffGuard, confirmPromote(deps));
  r.post('/admin/accounts/:userId/make-peer-moderator', ...staffGuard, promoteAccount(deps));
  r.post('/admin/accounts/:userId/end-sessions', ...accountsGuard, accountAction, endAccountSessions(deps));
  r.get('/admin/accounts/:userId/erase', ...accountsGuard, confirmErase(deps));
  r.post('/admin/accounts/:userId/erase', ...accountsGuard, accountAction, eraseAccount(deps));

  r.get('/admin/audit.csv', ...adminOnly('read_audit'), auditQuery, exportAuditCsv(deps));
  r.get('/admin/audit', ...adminOnly('read_audit'), auditQuery, auditPage(deps));
  return r;
}

/** GET /admin/staff: every staff account. */
const listStaff =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (_req, res) => {
    res.render('admin/staff', {
      title: 'Staff',
      staff: await listAccounts(db, { staffOnly: true, limit: 500, offset: 0 }),
      roleLabels: ROLE_LABELS,
    });
  };

const renderNewStaff = async (
  db: Db,
  res: Response,
  status: number,
  values: Record<string, string>,
  chosen: string[],
  errors: FormErrors,
) =>
  res.status(status).render('admin/staff-new', {
    title: 'Create a staff account',
    values,
    chosen,
    errors,
    subnets: await listAllSubnets(db),
    roles: STAFF_ROLES,
    roleLabels: ROLE_LABELS,
  });

/** GET /admin/staff/new: the empty form. */
const newStaffForm =
  ({ db }: AdminAccountDeps): RequestHandler =>
  (_req, res) =>
    renderNewStaff(db, res, 200, { role: 'clinician' }, [], NO_ERRORS);

/** POST /admin/staff: creates the account, or re-renders the form at 400 with the input kept. */
const createStaffAccount =
  ({ db, passwords }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const form = parseForm(StaffBody, req.body);
    const saved = form.ok ? await createStaff(db, passwords, auditContext(req), form.data) : form;
    if (!saved.ok)
      return renderNewStaff(
        db,
        res,
        400,
        keptValues(req.body, ['username', 'displayName', 'workEmail', 'nickname', 'role']),
        keptList(req.body, 'subnetIds'),
        saved.errors,
      );
    res.redirect(303, `/admin/staff/${saved.id}?done=created`);
  };

const servicesNamed = (subnets: { id: string; name: string }[], chosen: string[]) =>
  subnets.filter((s) => chosen.includes(s.id)).map((s) => s.name);

/** What the staff page says after creating the account or saving its services: who, and which services. */
const staffSavedNotice = (account: { nickname: string }, created: boolean, services: string[]) =>
  `${created ? `${account.nickname}'s account was created` : `${account.nickname}'s services were saved`}: ${
    services.length ? services.join(', ') : 'no service yet'
  }.${created ? ' They set up two-factor authentication when they first sign in.' : ''}`;

/** GET /admin/staff/:userId: one staff account and the services it holds. */
const staffMemberPage =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    const subnets = await listAllSubnets(db);
    const chosen = await subnetIdsOf(db, account.id);
    const identity = await findWorkIdentity(db, account.id);
    res.render('admin/staff-member', {
      title: account.username,
      account,
      identity,
      workEmail: identity.workEmail ?? '',
      errors: NO_ERRORS,
      subnets,
      chosen,
      canHoldSubnets: canActOnAccount(actorOf(req), 'assign_subnets', account).allowed,
      roleLabels: ROLE_LABELS,
      notice:
        req.query.done === 'promoted'
          ? `${account.nickname} is now a peer moderator. They were signed out everywhere and sign in again as staff. What they wrote as a member keeps no staff badge.`
          : req.query.done === 'email' || req.query.done === 'email-unlinked'
            ? workEmailNotice(account, req.query.done === 'email-unlinked')
            : req.query.done
              ? staffSavedNotice(account, req.query.done === 'created', servicesNamed(subnets, chosen))
              : undefined,
    });
  };

/** POST /admin/staff/:userId/subnets: the services a staff account holds. */
const assignSubnets =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    const form = parseForm(StaffSubnetsBody, req.body);
    authorize(canActOnAccount(actorOf(req), 'assign_subnets', account));
    if (!form.ok) throw notFound();
    await assignStaffSubnets(db, auditContext(req), account.id, form.data.subnetIds);
    res.redirect(303, `/admin/staff/${account.id}?done=saved`);
  };

const workEmailNotice = (account: { nickname: string }, unlinked: boolean) =>
  `${account.nickname}'s work email was saved.${
    unlinked
      ? ' Their work account is no longer linked: it links again, by this address, when they next sign in with it.'
      : ''
  }`;

/** POST /admin/staff/:userId/work-email: the address organisation sign-in links by; the form comes back at 400 with the input kept. */
const saveWorkEmail =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'assign_subnets', account));
    const form = parseForm(StaffWorkEmailBody, req.body);
    const saved = form.ok ? await saveStaffWorkEmail(db, auditContext(req), account.id, form.data.workEmail) : form;
    if (saved.ok)
      return res.redirect(303, `/admin/staff/${account.id}?done=${saved.unlinked ? 'email-unlinked' : 'email'}`);
    res.status(400).render('admin/staff-member', {
      title: account.username,
      account,
      identity: await findWorkIdentity(db, account.id),
      workEmail: String(req.body?.workEmail ?? '').slice(0, 254),
      errors: saved.errors,
      subnets: await listAllSubnets(db),
      chosen: await subnetIdsOf(db, account.id),
      canHoldSubnets: canActOnAccount(actorOf(req), 'assign_subnets', account).allowed,
      roleLabels: ROLE_LABELS,
    });
  };

const auditQuery = validate({ query: AuditQuery });

function auditFilter(q: { actor: string; action: string; target: string; from: string; to: string }) {
  return {
    actor: q.actor || undefined,
    action: q.action || undefined,
    targetId: q.target || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
  };
}

/** GET /admin/audit.csv: the filtered audit log as CSV, names and reasons included; the export is itself audited. */
const exportAuditCsv =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const csv = await exportAuditLog(db, auditContext(req), auditFilter(auditQuery.read(req).query));
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="sharon-audit.csv"')
      .send(csv);
  };

/** GET /admin/audit: the audit log, filtered and paged, with people and places named; the viewing is itself audited. */
const auditPage =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const q = auditQuery.read(req).query;
    const rows = await readAuditLog(db, auditContext(req), auditFilter(q), {
      limit: PAGE + 1,
      offset: (q.page - 1) * PAGE,
    });
    res.render('admin/audit', {
      title: 'Audit log',
      rows: rows.slice(0, PAGE),
      hasNext: rows.length > PAGE,
      query: q,
      actions: await listAuditActions(db),
    });
  };
