import { Router, type Response } from 'express';
import type { Db } from '../db/knex.js';
import { csvRows } from '../http/csv.js';
import type { Config } from '../config.js';
import { recordAudit } from '../audit/audit.service.js';
import { deleteSessionsOfUser } from '../auth/sessions.repo.js';
import { eraseMember } from './data-rights.js';
import type { Realtime } from '../chat/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { listAudit, listAuditActions } from '../audit/audit.repo.js';
import { listAllSubnets } from '../building/building.repo.js';
import { setAccountStatus } from '../members/members.service.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { isMemberRole, isSubnetStaffRole, STAFF_ROLES } from '../policy/index.js';
import { adminOnly, keptList, keptValues } from './admin.guard.js';
import { findAccount, listAccounts, subnetIdsOf } from './admin.repo.js';
import { AccountsQuery, AuditQuery, EmptyBody, StaffBody, StaffSubnetsBody } from './admin.schemas.js';
import { assignStaffSubnets, createStaff, makePeerModerator } from './admin.service.js';
import type { PasswordHasher } from '../auth/passwords.js';

const PAGE = 50;

function auditFilter(q: { actor: string; action: string; target: string; from: string; to: string }) {
  return {
    actor: q.actor || undefined, action: q.action || undefined, targetId: q.target || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
  };
}
export const ROLE_LABELS = { admin: 'Admin', clinician: 'Clinician', peer_moderator: 'Peer moderator', patient: 'Patient', carer: 'Carer', professional: 'Professional' } as const;

/** Admin pages for staff accounts, every account's status, and the audit log. */
export function adminAccountRoutes({ db, realtime, config, passwords }: { db: Db; realtime: Realtime; config: Config; passwords: PasswordHasher }): Router {
  const r = Router();
  const staffGuard = adminOnly('manage_staff');
  const loadAccount = async (id: unknown) => (await findAccount(db, idParam(id))) ?? Promise.reject(notFound());

  r.get('/admin/staff', ...staffGuard, async (_req, res) => {
    res.render('admin/staff', { title: 'Staff', staff: await listAccounts(db, { staffOnly: true, limit: 500, offset: 0 }), roleLabels: ROLE_LABELS });
  });

  const renderNewStaff = async (res: Response, status: number, values: Record<string, string>, chosen: string[], errors: FormErrors) =>
    res.status(status).render('admin/staff-new', { title: 'Create a staff account', values, chosen, errors, subnets: await listAllSubnets(db), roles: STAFF_ROLES, roleLabels: ROLE_LABELS });

  r.get('/admin/staff/new', ...staffGuard, (_req, res) => renderNewStaff(res, 200, { role: 'clinician' }, [], NO_ERRORS));
  r.post('/admin/staff', ...staffGuard, async (req, res) => {
    const form = parseForm(StaffBody, req.body);
    const saved = form.ok ? await createStaff(db, passwords, auditContext(req), form.data) : form;
    if (!saved.ok) return renderNewStaff(res, 400, keptValues(req.body, ['username', 'displayName', 'nickname', 'role']), keptList(req.body, 'subnetIds'), saved.errors);
    res.redirect(303, `/admin/staff/${saved.id}?done=created`);
  });

  r.get('/admin/staff/:userId', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    res.render('admin/staff-member', {
      title: account.username, account, subnets: await listAllSubnets(db), chosen: await subnetIdsOf(db, account.id),
      canHoldSubnets: isSubnetStaffRole(account.role), roleLabels: ROLE_LABELS, notice: req.query.done ? 'Saved.' : undefined,
    });
  });
  r.post('/admin/staff/:userId/subnets', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    const form = parseForm(StaffSubnetsBody, req.body);
    if (!isSubnetStaffRole(account.role) || !form.ok) throw notFound();
    await assignStaffSubnets(db, auditContext(req), account.id, form.data.subnetIds);
    res.redirect(303, `/admin/staff/${account.id}?done=saved`);
  });

  const accountsGuard = adminOnly('suspend_any_account');
  r.get('/admin/accounts', ...accountsGuard, async (req, res) => {
    const q = parseQuery(AccountsQuery, req.query);
    const accounts = await listAccounts(db, { q: q.q, limit: PAGE + 1, offset: (q.page - 1) * PAGE });
    res.render('admin/accounts', { title: 'Accounts', currentUserId: req.user?.id, isMemberRole, accounts: accounts.slice(0, PAGE), hasNext: accounts.length > PAGE, query: q, roleLabels: ROLE_LABELS, notice: req.query.done ? 'Saved.' : undefined });
  });
  for (const [path, status] of [['suspend', 'suspended'], ['reinstate', 'active']] as const) {
    r.post(`/admin/accounts/:userId/${path}`, ...accountsGuard, async (req, res) => {
      const account = await loadAccount(req.params.userId);
      parseForm(EmptyBody, req.body);
      if (account.id !== req.user?.id) await setAccountStatus(db, realtime, auditContext(req), account.id, status);
      res.redirect(303, `/admin/accounts?q=${encodeURIComponent(account.username)}&done=1`);
    });
  }

  r.post('/admin/accounts/:userId/make-peer-moderator', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    parseForm(EmptyBody, req.body);
    if (!isMemberRole(account.role)) throw notFound();
    await makePeerModerator(db, realtime, auditContext(req), account.id);
    res.redirect(303, `/admin/staff/${account.id}?done=1`);
  });

  r.post('/admin/accounts/:userId/end-sessions', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    parseForm(EmptyBody, req.body);
    const ended = await deleteSessionsOfUser(db, account.id);
    realtime.disconnectUser(account.id);
    await recordAudit(db, auditContext(req), { action: 'session.end_all', targetType: 'user', targetId: account.id, details: { ended } });
    res.redirect(303, `/admin/accounts?q=${encodeURIComponent(account.username)}&done=1`);
  });

  r.get('/admin/accounts/:userId/erase', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    if (!isMemberRole(account.role)) throw notFound();
    res.render('admin/erase', { title: `Erase ${account.username}`, account, content: config.erasureContent });
  });

  r.post('/admin/accounts/:userId/erase', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    parseForm(EmptyBody, req.body);
    if (!isMemberRole(account.role) || account.id === req.user?.id) throw notFound();
    await eraseMember(db, realtime, auditContext(req), account.id, config.erasureContent);
    res.redirect(303, '/admin/accounts?done=1');
  });

  r.get('/admin/audit.csv', ...adminOnly('read_audit'), async (req, res) => {
    const q = parseQuery(AuditQuery, req.query);
    const rows = await listAudit(db, auditFilter(q), 100_000, 0);
    const header = ['id', 'at', 'actor', 'action', 'target_type', 'target_id', 'outcome', 'reason', 'ip', 'details'];
    const csv = csvRows(header, rows.map((r) => [r.id, r.at, r.actorUsername, r.action, r.targetType, r.targetId, r.outcome, r.reason, r.ip, r.details]));
    await recordAudit(db, auditContext(req), { action: 'audit.export', details: { rows: rows.length } });
    res.set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="sharon-audit.csv"').send(csv);
  });

  r.get('/admin/audit', ...adminOnly('read_audit'), async (req, res) => {
    const q = parseQuery(AuditQuery, req.query);
    const rows = await listAudit(db, auditFilter(q), PAGE + 1, (q.page - 1) * PAGE);
    res.render('admin/audit', { title: 'Audit log', rows: rows.slice(0, PAGE), hasNext: rows.length > PAGE, query: q, actions: await listAuditActions(db) });
  });

  return r;
}
