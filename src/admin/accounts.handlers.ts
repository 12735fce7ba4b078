import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ROLE_LABELS } from '../people/labels.js';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import { deleteSessionsOfUser } from '../auth/auth.service.js';
import { eraseMember } from './data-rights.js';
import type { Realtime } from '../realtime/realtime.js';
import { listAllSubnets } from '../building/building.service.js';
import { setAccountStatus } from '../members/members.service.js';
import { typedReason } from '../members/suspend-confirm.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { authorize, canActOnAccount, type AccountAction, type Actor } from '../policy/index.js';
import { actorOf } from '../http/guards.js';
import { findAccount, listAccounts, subnetIdsOf, type AccountRow } from './admin.repo.js';
import { AccountsQuery, PromoteBody, SuspendAccountBody } from './admin.schemas.js';
import { makePeerModerator } from './admin.service.js';
import type { PasswordHasher } from '../auth/passwords.js';

// The handlers of the admin account pages (every account's status: suspend, reinstate, promote,
// end sessions, erase); accounts.routes.ts lists their paths and middleware.

/** What the admin account pages need. */
export interface AdminAccountDeps {
  db: Db;
  realtime: Realtime;
  config: Config;
  passwords: PasswordHasher;
}

export const PAGE = 50;

/** The account a URL names, or 404. */
export const loadAccount = async (db: Db, id: unknown): Promise<AccountRow> =>
  (await findAccount(db, idParam(id))) ?? Promise.reject(notFound());

/** An account action with nothing to fill in: the id in the URL and only the CSRF token. */
export const accountAction = validate({ params: z.strictObject({ userId: UuidParam }), body: EmptyForm });

/** What the accounts list says after an action, naming the account (the one its search found by username). */
const ACCOUNT_NOTICES: Record<string, (name: string) => string> = {
  suspended: (name) =>
    `${name} account was suspended and they were signed out everywhere. Your reason is in the audit log.`,
  reinstated: (name) => `${name} account was reinstated. They can sign in again.`,
  'sessions-ended': (name) => `${name} sessions were ended: they were signed out everywhere.`,
  erased: () =>
    'The account was erased and every session ended. Its personal details were removed; the erasure is in the audit log.',
};

/** "Anna's", or "The" when the list does not show exactly the account acted on. */
const possessive = (accounts: AccountRow[], username: string) => {
  const account = accounts.find((a) => a.username === username);
  return account ? `${account.nickname}'s` : 'The';
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

/** The accounts list found at this account, saying what was just done (`done`, a key of ACCOUNT_NOTICES). */
const listOf = (account: AccountRow, done: string) =>
  `/admin/accounts?q=${encodeURIComponent(account.username)}${done ? `&done=${done}` : ''}`;

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

/** GET /admin/accounts: every account, searchable, with what the admin may do to each. */
export const listAccountsPage =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const q = parseQuery(AccountsQuery, req.query);
    const accounts = await listAccounts(db, { q: q.q, limit: PAGE + 1, offset: (q.page - 1) * PAGE });
    const said = q.done && Object.hasOwn(ACCOUNT_NOTICES, q.done) ? ACCOUNT_NOTICES[q.done] : undefined;
    const notice = said?.(possessive(accounts, q.q));
    const actor = actorOf(req);
    res.render('admin/accounts', {
      title: 'Accounts',
      accounts: accounts.slice(0, PAGE).map((a) => ({ ...a, can: rowActions(actor, a) })),
      hasNext: accounts.length > PAGE,
      query: q,
      roleLabels: ROLE_LABELS,
      notice,
    });
  };

// Suspending takes a confirmation step and a reason (kept in the audit log). Not oneself.
const suspendable = (req: Request, account: AccountRow) => canActOnAccount(actorOf(req), 'suspend', account).allowed;

/** GET /admin/accounts/:userId/suspend: the confirmation step (back to the list when not allowed). */
export const confirmSuspend =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    if (!suspendable(req, account)) return res.redirect(303, listOf(account, ''));
    renderConfirm(res, 200, account, suspendConfirm(account));
  };

/** POST /admin/accounts/:userId/suspend: suspends with the reason given (400 without one). */
export const suspendAccount =
  ({ db, realtime }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    const form = parseForm(SuspendAccountBody, req.body);
    if (!form.ok)
      return renderConfirm(res, 400, account, suspendConfirm(account), {
        reason: typedReason(req.body),
        errors: form.errors,
      });
    if (!suspendable(req, account)) return res.redirect(303, listOf(account, ''));
    await setAccountStatus(db, realtime, auditContext(req), account.id, 'suspended', { reason: form.data.reason });
    res.redirect(303, listOf(account, 'suspended'));
  };

/** POST /admin/accounts/:userId/reinstate (behind accountAction). */
export const reinstateAccount =
  ({ db, realtime }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, accountAction.read(req).params.userId);
    // Not allowed (already active after a double submit, or one's own account): no change, no notice.
    if (!canActOnAccount(actorOf(req), 'reinstate', account).allowed) return res.redirect(303, listOf(account, ''));
    await setAccountStatus(db, realtime, auditContext(req), account.id, 'active');
    res.redirect(303, listOf(account, 'reinstated'));
  };

// Promotion takes a confirmation step and a reason too: a badge is trust members act on.
const promoteConfirmFor = async (db: Db, account: AccountRow) => {
  const mine = new Set(await subnetIdsOf(db, account.id));
  return promoteConfirm(
    account,
    (await listAllSubnets(db)).filter((s) => mine.has(s.id)).map((s) => s.name),
  );
};

/** GET /admin/accounts/:userId/make-peer-moderator: the confirmation step. */
export const confirmPromote =
  ({ db }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'make_peer_moderator', account));
    renderConfirm(res, 200, account, await promoteConfirmFor(db, account));
  };

/** POST /admin/accounts/:userId/make-peer-moderator: promotes with the reason given (400 without one). */
export const promoteAccount =
  ({ db, realtime }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'make_peer_moderator', account));
    const form = parseForm(PromoteBody, req.body);
    if (!form.ok)
      return renderConfirm(res, 400, account, await promoteConfirmFor(db, account), {
        reason: typedReason(req.body),
        errors: form.errors,
      });
    await makePeerModerator(db, realtime, auditContext(req), account.id, {
      from: account.role,
      reason: form.data.reason,
    });
    res.redirect(303, `/admin/staff/${account.id}?done=promoted`);
  };

/** POST /admin/accounts/:userId/end-sessions (behind accountAction): signs the person out everywhere. */
export const endAccountSessions =
  ({ db, realtime }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, accountAction.read(req).params.userId);
    authorize(canActOnAccount(actorOf(req), 'end_sessions', account));
    const ended = await deleteSessionsOfUser(db, account.id);
    realtime.disconnectUser(account.id);
    await recordAudit(db, auditContext(req), {
      action: 'session.end_all',
      targetType: 'user',
      targetId: account.id,
      details: { ended },
    });
    res.redirect(303, listOf(account, 'sessions-ended'));
  };

/** GET /admin/accounts/:userId/erase: the erasure confirmation page. */
export const confirmErase =
  ({ db, config }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, req.params.userId);
    authorize(canActOnAccount(actorOf(req), 'erase', account));
    res.render('admin/erase', { title: `Erase ${account.username}`, account, content: config.erasureContent });
  };

/** POST /admin/accounts/:userId/erase (behind accountAction). */
export const eraseAccount =
  ({ db, realtime, config }: AdminAccountDeps): RequestHandler =>
  async (req, res) => {
    const account = await loadAccount(db, accountAction.read(req).params.userId);
    authorize(canActOnAccount(actorOf(req), 'erase', account));
    await eraseMember(db, realtime, auditContext(req), account.id, config.erasureContent);
    res.redirect(303, '/admin/accounts?done=erased');
  };
