import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, parseForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { CareEventBody, MoveCohortBody, PathwayBody, RevealBody, SuspendBody } from './members.schemas.js';
import { renderSuspendConfirm, typedReason } from './suspend-confirm.js';
import { recordCareEvent } from './care-events.js';
import { renderMemberPage } from './member-page.js';
import {
  memberFor,
  membersPage,
  moveAlongPathway,
  moveMember,
  revealReference,
  setAccountStatus,
  type MemberContext,
} from './members.service.js';

const NOTICES: Record<string, string> = {
  moved: 'The member was moved. Their rooms changed straight away.',
  suspended: 'The account was suspended and signed out everywhere. Your reason is in the audit log.',
  reinstated: 'The account was reinstated.',
  recorded: 'The care event was recorded.',
};

interface MembersDeps {
  db: Db;
  realtime: Realtime;
}
type Handler = (deps: MembersDeps, req: Request, res: Response) => Promise<unknown>;

/** Clinicians' pages for the members of their subnets. */
export function membersRoutes({ db, realtime }: { db: Db; realtime: Realtime }): Router {
  const r = Router();
  const deps = { db, realtime };
  const run = (handler: Handler) => (req: Request, res: Response) => handler(deps, req, res);
  const member = '/subnets/:subnetId/members/:userId';
  r.get('/subnets/:subnetId/members', requireUser, run(showMembers));
  r.get(member, requireUser, run(showMember));
  r.post(`${member}/cohort`, requireUser, run(moveCohort));
  r.get(`${member}/suspend`, requireUser, run(confirmSuspend));
  r.post(`${member}/suspend`, requireUser, run(suspend));
  r.post(`${member}/reinstate`, requireUser, reinstateForm, run(reinstate));
  r.post(`${member}/reveal`, requireUser, run(reveal));
  r.post(`${member}/care-events`, requireUser, run(addCareEvent));
  r.post(`${member}/pathway`, requireUser, run(moveOnPathway));
  return r;
}

const base = (m: MemberContext) => `/subnets/${m.subnet.id}/members/${m.member.id}`;
const load = (db: Db, req: Request, action: Parameters<typeof memberFor>[4]) =>
  memberFor(db, actorOf(req), idParam(req.params.subnetId), idParam(req.params.userId), action, new Date());

/** GET /subnets/:subnetId/members */
async function showMembers({ db }: MembersDeps, req: Request, res: Response) {
  const page = await membersPage(db, actorOf(req), idParam(req.params.subnetId), new Date());
  res.render('members/index', { title: `Members of ${page.subnet.name}`, ...page });
}

/** GET /subnets/:subnetId/members/:userId */
async function showMember({ db }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'move_member');
  const notice = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
  await renderMemberPage(db, req, res, 200, m, { notice });
}

/** POST …/cohort: moves the member to another group of this service. */
async function moveCohort({ db, realtime }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'move_member');
  const form = parseForm(MoveCohortBody, req.body);
  if (!form.ok || !(await moveMember(db, realtime, auditContext(req), m, form.data.cohortId))) {
    return renderMemberPage(db, req, res, 400, m, {
      errors: form.ok ? formErrors([{ field: 'cohortId', message: 'Choose a group of this service' }]) : form.errors,
    });
  }
  res.redirect(303, `${base(m)}?done=moved`);
}

// Suspending takes a confirmation step that names the person and asks why (kept in the audit log).
const suspendConfirm = (m: MemberContext) => ({
  subnet: m.subnet,
  member: m.member,
  action: `${base(m)}/suspend`,
  cancel: base(m),
});

/** GET …/suspend: the confirmation step. */
async function confirmSuspend({ db }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'suspend_member');
  if (m.member.status !== 'active') return res.redirect(303, base(m));
  renderSuspendConfirm(res, 200, suspendConfirm(m));
}

/** POST …/suspend */
async function suspend({ db, realtime }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'suspend_member');
  const form = parseForm(SuspendBody, req.body);
  if (!form.ok)
    return renderSuspendConfirm(res, 400, suspendConfirm(m), { reason: typedReason(req.body), errors: form.errors });
  await setAccountStatus(db, realtime, auditContext(req), m.member.id, 'suspended', {
    subnet_id: m.subnet.id,
    reason: form.data.reason,
  });
  res.redirect(303, `${base(m)}?done=suspended`);
}

const reinstateForm = validate({ params: z.strictObject({ subnetId: UuidParam, userId: UuidParam }), body: EmptyForm });

/** POST …/reinstate */
async function reinstate({ db, realtime }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'suspend_member');
  await setAccountStatus(db, realtime, auditContext(req), m.member.id, 'active', { subnet_id: m.subnet.id });
  res.redirect(303, `${base(m)}?done=reinstated`);
}

/** POST …/reveal: shows the member's reference on the page, once, with the reason audited. */
async function reveal({ db }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'reveal_reference');
  const form = parseForm(RevealBody, req.body);
  if (!form.ok)
    return renderMemberPage(db, req, res, 400, m, {
      errors: form.errors,
      reason: String(req.body?.reason ?? '').slice(0, 500),
    });
  const reference = await revealReference(db, auditContext(req), m, form.data.reason);
  await renderMemberPage(db, req, res, 200, m, { revealed: true, reference });
}

/** POST …/care-events: records a care event (not in the future). */
async function addCareEvent({ db }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'record_care_event');
  const form = parseForm(CareEventBody, req.body);
  if (!form.ok || form.data.occurredOn > new Date().toISOString().slice(0, 10)) {
    return renderMemberPage(db, req, res, 400, m, {
      errors: form.ok
        ? formErrors([{ field: 'occurredOn', message: 'The date cannot be in the future' }])
        : form.errors,
    });
  }
  await recordCareEvent(db, auditContext(req), {
    userId: m.member.id,
    subnetId: m.subnet.id,
    kind: form.data.kind,
    occurredOn: form.data.occurredOn,
  });
  res.redirect(303, `${base(m)}?done=recorded#care-events`);
}

/** POST …/pathway: moves the member along the pathway, to a group of a service the clinician works in. */
async function moveOnPathway({ db, realtime }: MembersDeps, req: Request, res: Response) {
  const m = await load(db, req, 'move_member');
  const form = parseForm(PathwayBody, req.body);
  const [subnetId = '', cohortId = ''] = form.ok ? form.data.destination.split(':') : [];
  const leaveOn = form.ok && form.data.leaveOn ? new Date(`${form.data.leaveOn}T23:59:59Z`) : null;
  const moved =
    form.ok &&
    (await moveAlongPathway(
      db,
      realtime,
      auditContext(req),
      actorOf(req),
      m,
      { subnetId, cohortId, leaveOn },
      new Date(),
    ));
  if (!moved)
    return renderMemberPage(db, req, res, 400, m, {
      errors: form.ok
        ? formErrors([{ field: 'destination', message: 'Choose a group of a service you work in' }])
        : form.errors,
    });
  res.redirect(
    303,
    subnetId === m.subnet.id ? `${base(m)}?done=moved` : `/subnets/${subnetId}/members/${m.member.id}?done=moved`,
  );
}
