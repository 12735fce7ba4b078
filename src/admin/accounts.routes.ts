import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ROLE_LABELS } from '../people/labels.js';
import type { Db } from '../db/knex.js';
import { csvRows } from '../http/csv.js';
import type { Config } from '../config.js';
import { recordAudit } from '../audit/audit.service.js';
import { deleteSessionsOfUser } from '../auth/auth.service.js';
import { eraseMember } from './data-rights.js';
import type { Realtime } from '../realtime/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { listAudit, listAuditActions } from '../audit/audit.service.js';
import { listAllSubnets } from '../building/building.service.js';
import { setAccountStatus } from '../members/members.service.js';
import { typedReason } from '../members/suspend-confirm.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { authorize, canActOnAccount, STAFF_ROLES, type AccountAction, type Actor } from '../policy/index.js';
import { actorOf } from '../http/guards.js';
import { adminOnly, keptList, keptValues } from './admin.guard.js';
import { findAccount, listAccounts, subnetIdsOf, type AccountRow } from './admin.repo.js';
import {
  AccountsQuery,
  AuditQuery,
  PromoteBody,
  StaffBody,
  StaffSubnetsBody,
  SuspendAccountBody,
} from './admin.schemas.js';
import { assignStaffSubnets, createStaff, makePeerModerator } from './admin.service.js';
import type { PasswordHasher } from '../auth/passwords.js';

const PAGE = 50;

function auditFilter(q: { actor: string; action: string; target: string; from: string; to: string }) {
  return {
    actor: q.actor || undefined,
    action: q.action || undefined,
    targetId: q.target || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00Z`) : undefined,
    to: q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
  };
}

const ACCOUNT_NOTICES: Record<string, string> = {
  suspended: 'The account was suspended and signed out everywhere. Your reason is in the audit log.',
  reinstated: 'The account was reinstated.',
};

/** What a confirmation page says and does. */
interface Confirm {
  heading: string;
  paragraphs: string[];
  label: string;
  button: string;
  warning: boolean;
  action: string;
}

const suspendConfirm = (a: AccountRow): Confirm => ({
  heading: `Suspend ${a.nickname}?`,
  paragraphs: [
    'Suspending signs this person out everywhere at once and closes every room to them. A page they have open tells them their account is suspended and shows the crisis contacts.',
    'They stay suspended until an admin or a clinician of their service reinstates them.',
  ],
  label: `Why are you suspending ${a.nickname}?`,
  button: `Suspend ${a.nickname}`,
  warning: true,
  action: `/admin/accounts/${a.id}/suspend`,
});

const promoteConfirm = (a: AccountRow, subnetNames: string[]): Confirm => ({
  heading: `Make ${a.nickname} a peer moderator?`,
  paragraphs: [
    subnetNames.length
      ? `They become a peer moderator of: ${subnetNames.join(', ')}. They leave their member group there and can see and moderate every room of those services.`
      : 'They belong to no service yet: assign their services on the next page.',
    'Everything they write from now on carries a "Peer moderator" badge; what they wrote as a member keeps no badge. They are signed out everywhere and sign in again as staff, with two-factor authentication.',
  ],
  label: `Why does ${a.nickname} become a peer moderator?`,
  button: `Make ${a.nickname} a peer moderator`,
  warning: false,
  action: `/admin/accounts/${a.id}/make-peer-moderator`,
});

/** What the accounts list offers on a row: the policy's decisions, as booleans for the template. */
const rowActions = (actor: Actor, a: AccountRow) => {
  const may = (action: AccountAction) => canActOnAccount(actor, action, a).allowed;
  return {
    suspend: may('suspend'),
    reinstate: may('reinstate'),
    endSessions: may('end_sessions'),
    erase: may('erase'),
    promote: may('make_peer_moderator'),
  };
};

/** Admin pages for staff accounts, every account's status, and the audit log. */
export function adminAccountRoutes({
  db,
  realtime,
  config,
  passwords,
}: {
  db: Db;
  realtime: Realtime;
  config: Config;
  passwords: PasswordHasher;
}): Router {
  const r = Router();
  const staffGuard = adminOnly('manage_staff');
  const loadAccount = async (id: unknown) => (await findAccount(db, idParam(id))) ?? Promise.reject(notFound());

  r.get('/admin/staff', ...staffGuard, async (_req, res) => {
    res.render('admin/staff', {
      title: 'Staff',
      staff: await listAccounts(db, { staffOnly: true, limit: 500, offset: 0 }),
      roleLabels: ROLE_LABELS,
    });
  });

  const renderNewStaff = async (
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

  r.get('/admin/staff/new', ...staffGuard, (_req, res) =>
    renderNewStaff(res, 200, { role: 'clinician' }, [], NO_ERRORS),
  );
  r.post('/admin/staff', ...staffGuard, async (req, res) => {
    const form = parseForm(StaffBody, req.body);
    const saved = form.ok ? await createStaff(db, passwords, auditContext(req), form.data) : form;
    if (!saved.ok)
      return renderNewStaff(
        res,
        400,
        keptValues(req.body, ['username', 'displayName', 'nickname', 'role']),
        keptList(req.body, 'subnetIds'),
        saved.errors,
      );
    res.redirect(303, `/admin/staff/${saved.id}?done=created`);
  });

  r.get('/admin/staff/:userId', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    res.render('admin/staff-member', {
      title: account.username,
      account,
      subnets: await listAllSubnets(db),
      chosen: await subnetIdsOf(db, account.id),
      canHoldSubnets: canActOnAccount(actorOf(req), 'assign_subnets', account).allowed,
      roleLabels: ROLE_LABELS,
      notice:
        req.query.done === 'promoted'
          ? `${account.nickname} is now a peer moderator. They were signed out everywhere and sign in again as staff. What they wrote as a member keeps no staff badge.`
          : req.query.done
            ? 'Saved.'
            : undefined,
    });
  });
  r.post('/admin/staff/:userId/subnets', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    const form = parseForm(StaffSubnetsBody, req.body);
    authorize(canActOnAccount(actorOf(req), 'assign_subnets', account));
    if (!form.ok) throw notFound();
    await assignStaffSubnets(db, auditContext(req), account.id, form.data.subnetIds);
    res.redirect(303, `/admin/staff/${account.id}?done=saved`);
  });

  const accountsGuard = adminOnly('suspend_any_account');
  r.get('/admin/accounts', ...accountsGuard, async (req, res) => {
    const q = parseQuery(AccountsQuery, req.query);
    const accounts = await listAccounts(db, { q: q.q, limit: PAGE + 1, offset: (q.page - 1) * PAGE });
    const done = q.done ?? '';
    const actor = actorOf(req);
    res.render('admin/accounts', {
      title: 'Accounts',
      accounts: accounts.slice(0, PAGE).map((a) => ({ ...a, can: rowActions(actor, a) })),
      hasNext: accounts.length > PAGE,
      query: q,
      roleLabels: ROLE_LABELS,
      notice: ACCOUNT_NOTICES[done] ?? (done ? 'Saved.' : undefined),
    });
  });
  const listOf = (account: AccountRow, done = '1') =>
    `/admin/accounts?q=${encodeURIComponent(account.username)}&done=${done}`;
  /** The confirmation step of a serious change: names the person, says what happens, asks why. */
  const renderConfirm = (
    res: Response,
    status: number,
    account: AccountRow,
    c: Confirm,
    form: { reason?: string; errors?: FormErrors } = {},
  ) =>
    res.status(status).render('admin/account-confirm', {
      title: c.heading,
      account,
      confirm: c,
      roleLabels: ROLE_LABELS,
      action: c.action,
      cancel: listOf(account, ''),
      reason: form.reason ?? '',
      errors: form.errors ?? NO_ERRORS,
    });

  // Suspending takes a confirmation step and a reason (kept in the audit log). Not oneself.
  const suspendable = (req: Request, account: AccountRow) => canActOnAccount(actorOf(req), 'suspend', account).allowed;
  r.get('/admin/accounts/:userId/suspend', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    if (!suspendable(req, account)) return res.redirect(303, listOf(account, ''));
    renderConfirm(res, 200, account, suspendConfirm(account));
  });
  r.post('/admin/accounts/:userId/suspend', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    const form = parseForm(SuspendAccountBody, req.body);
    if (!form.ok)
      return renderConfirm(res, 400, account, suspendConfirm(account), {
        reason: typedReason(req.body),
        errors: form.errors,
      });
    if (!suspendable(req, account)) return res.redirect(303, listOf(account, ''));
    await setAccountStatus(db, realtime, auditContext(req), account.id, 'suspended', { reason: form.data.reason });
    res.redirect(303, listOf(account, 'suspended'));
  });
  /** An account action with nothing to fill in: the id in the URL and only the CSRF token. */
  const accountAction = validate({ params: z.strictObject({ userId: UuidParam }), body: EmptyForm });
  r.post('/admin/accounts/:userId/reinstate', ...accountsGuard, accountAction, async (req, res) => {
    const account = await loadAccount(accountAction.read(req).params.userId);
    if (canActOnAccount(actorOf(req), 'reinstate', account).allowed)
      await setAccountStatus(db, realtime, auditContext(req), account.id, 'active');
    res.redirect(303, listOf(account, 'reinstated'));
  });

  // Promotion takes a confirmation step and a reason too: a badge is trust members act on.
  const promoteConfirmFor = async (account: AccountRow) => {
    const mine = new Set(await subnetIdsOf(db, account.id));
    return promoteConfirm(
      account,
      (await listAllSubnets(db)).filter((s) => mine.has(s.id)).map((s) => s.name),
    );
  };
  r.get('/admin/accounts/:userId/make-peer-moderator', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'make_peer_moderator', account));
    renderConfirm(res, 200, account, await promoteConfirmFor(account));
  });
  r.post('/admin/accounts/:userId/make-peer-moderator', ...staffGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'make_peer_moderator', account));
    const form = parseForm(PromoteBody, req.body);
    if (!form.ok)
      return renderConfirm(res, 400, account, await promoteConfirmFor(account), {
        reason: typedReason(req.body),
        errors: form.errors,
      });
    await makePeerModerator(db, realtime, auditContext(req), account.id, {
      from: account.role,
      reason: form.data.reason,
    });
    res.redirect(303, `/admin/staff/${account.id}?done=promoted`);
  });

  r.post('/admin/accounts/:userId/end-sessions', ...accountsGuard, accountAction, async (req, res) => {
    const account = await loadAccount(accountAction.read(req).params.userId);
    authorize(canActOnAccount(actorOf(req), 'end_sessions', account));
    const ended = await deleteSessionsOfUser(db, account.id);
    realtime.disconnectUser(account.id);
    await recordAudit(db, auditContext(req), {
      action: 'session.end_all',
      targetType: 'user',
      targetId: account.id,
      details: { ended },
    });
    res.redirect(303, `/admin/accounts?q=${encodeURIComponent(account.username)}&done=1`);
  });

  r.get('/admin/accounts/:userId/erase', ...accountsGuard, async (req, res) => {
    const account = await loadAccount(req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'erase', account));
    res.render('admin/erase', { title: `Erase ${account.username}`, account, content: config.erasureContent });
  });

  r.post('/admin/accounts/:userId/erase', ...accountsGuard, accountAction, async (req, res) => {
    const account = await loadAccount(accountAction.read(req).params.userId);
    authorize(canActOnAccount(actorOf(req), 'erase', account));
    await eraseMember(db, realtime, auditContext(req), account.id, config.erasureContent);
    res.redirect(303, '/admin/accounts?done=1');
  });

  r.get('/admin/audit.csv', ...adminOnly('read_audit'), async (req, res) => {
    const q = parseQuery(AuditQuery, req.query);
    const rows = await listAudit(db, auditFilter(q), 100_000, 0);
    const header = ['id', 'at', 'actor', 'action', 'target_type', 'target_id', 'outcome', 'reason', 'ip', 'details'];
    const csv = csvRows(
      header,
      rows.map((r) => [
        r.id,
        r.at,
        r.actorUsername,
        r.action,
        r.targetType,
        r.targetId,
        r.outcome,
        r.reason,
        r.ip,
        r.details,
      ]),
    );
    await recordAudit(db, auditContext(req), { action: 'audit.export', details: { rows: rows.length } });
    res
      .set('Content-Type', 'text/csv; charset=utf-8')
      .set('Content-Disposition', 'attachment; filename="sharon-audit.csv"')
      .send(csv);
  });

  r.get('/admin/audit', ...adminOnly('read_audit'), async (req, res) => {
    const q = parseQuery(AuditQuery, req.query);
    const rows = await listAudit(db, auditFilter(q), PAGE + 1, (q.page - 1) * PAGE);
    res.render('admin/audit', {
      title: 'Audit log',
      rows: rows.slice(0, PAGE),
      hasNext: rows.length > PAGE,
      query: q,
      actions: await listAuditActions(db),
    });
  });

  return r;
}
