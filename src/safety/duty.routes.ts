import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { findSubnet, findSubnets, type SubnetSummary } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { badgeFor } from '../people/labels.js';
import { authorize, canListCareConversations, canActInSubnet, isCurrent } from '../policy/index.js';
import { actionsDuring, listDutySessions } from './duty.repo.js';
import { goOffDuty, goOnDuty, handoverFor, OPEN_ITEM_LABELS } from './duty.service.js';

const EndDuty = z.strictObject({
  note: z.string().trim().max(2000, 'The handover note must be 2000 characters or fewer').default(''),
  _csrf: z.string().optional(),
});
const HandoverQuery = z.strictObject({ duty: z.enum(['on', 'off']).optional() });
const NOTE_NEEDED = 'Write a handover note: there are open items the next person on duty needs to know about';
const startDutyForm = validate({ params: z.strictObject({ subnetId: UuidParam }), body: EmptyForm });

interface Deps {
  db: Db;
  realtime: Realtime;
}

/** Duty on and off, the supervision log, and the crisis page. */
export function dutyRoutes(deps: Deps): Router {
  const r = Router();
  r.get('/subnets/:subnetId/handover', requireUser, showHandover(deps));
  r.post('/subnets/:subnetId/duty/start', requireUser, startDutyForm, startDuty(deps));
  r.post('/subnets/:subnetId/duty/end', requireUser, endDuty(deps));
  r.get('/subnets/:subnetId/duty', requireUser, showDutyLog(deps));
  r.get('/help', showHelp(deps));
  return r;
}

/** The subnet named in the path, once the actor may act on duty there (404 unknown, 403 refused). */
async function loadSubnet(db: Db, req: Request, action: 'go_on_duty' | 'supervise_duty'): Promise<SubnetSummary> {
  const subnet = await findSubnet(db, idParam(req.params.subnetId));
  if (!subnet) throw notFound();
  authorize(canActInSubnet(actorOf(req), action, subnet, new Date()));
  return subnet;
}

/** The duty page: on duty or not, the last handover note and the subnet's open items. */
async function renderHandover(
  db: Db,
  req: Request,
  res: Response,
  subnet: SubnetSummary,
  status = 200,
  form: { note?: string; errors?: FormErrors } = {},
) {
  const actor = actorOf(req);
  const now = new Date();
  const q = parseQuery(HandoverQuery, req.method === 'GET' ? req.query : {});
  const handover = await handoverFor(db, actor, subnet.id);
  const notice =
    q.duty === 'on' && handover.onDutySince
      ? `You are on duty in ${subnet.name}. Alerts (watched words, and answers to PHQ-9 question 9) come to you live.`
      : q.duty === 'off' && !handover.onDutySince
        ? `You are off duty in ${subnet.name}. Your handover is saved for the next person on duty.`
        : undefined;
  const can = {
    moderate: canActInSubnet(actor, 'moderate_subnet', subnet, now).allowed,
    careTeamInbox: canListCareConversations(
      actor,
      { id: subnet.id, peerModeratorsAllowed: subnet.careTeamIncludesPeerModerators },
      now,
    ).allowed,
  };
  res.status(status).render('safety/handover', {
    title: `Duty and handover: ${subnet.name}`,
    subnet,
    handover,
    labels: OPEN_ITEM_LABELS,
    notice,
    can,
    note: form.note ?? '',
    errors: form.errors ?? NO_ERRORS,
  });
}

function showHandover({ db }: Deps) {
  return async (req: Request, res: Response) => {
    await renderHandover(db, req, res, await loadSubnet(db, req, 'go_on_duty'));
  };
}

function startDuty({ db, realtime }: Deps) {
  return async (req: Request, res: Response) => {
    const subnet = await loadSubnet(db, req, 'go_on_duty');
    await goOnDuty(db, realtime, auditContext(req), actorOf(req), subnet.id);
    res.redirect(303, `/subnets/${subnet.id}/handover?duty=on`);
  };
}

// Going off duty with open items needs a handover note: refused at 400 with the items listed.
function endDuty({ db, realtime }: Deps) {
  return async (req: Request, res: Response) => {
    const subnet = await loadSubnet(db, req, 'go_on_duty');
    const form = parseForm(EndDuty, req.body);
    if (!form.ok)
      return renderHandover(db, req, res, subnet, 400, {
        note: String(req.body?.note ?? '').slice(0, 5000),
        errors: form.errors,
      });
    const outcome = await goOffDuty(db, realtime, auditContext(req), actorOf(req), subnet.id, form.data.note);
    if ('needsNote' in outcome)
      return renderHandover(db, req, res, subnet, 400, {
        note: form.data.note,
        errors: formErrors([{ field: 'note', message: NOTE_NEEDED }]),
      });
    res.redirect(303, `/subnets/${subnet.id}/handover?duty=off`);
  };
}

function showDutyLog({ db }: Deps) {
  return async (req: Request, res: Response) => {
    const subnet = await loadSubnet(db, req, 'supervise_duty');
    const sessions = await listDutySessions(db, subnet.id);
    const withActions = await Promise.all(
      sessions.map(async (s) => ({
        ...s,
        badge: badgeFor(s.role),
        actions: await actionsDuring(db, s.userId, s.startedAt, s.endedAt),
      })),
    );
    res.render('safety/duty-log', { title: `Duty log: ${subnet.name}`, subnet, sessions: withActions });
  };
}

// The crisis page ("Need help now?"): open to everyone, signed in or not (the sign-in and error
// pages link here too). The UK numbers always come first; a signed-in person also sees the own
// contacts and hours of the services they currently belong to.
function showHelp({ db }: Deps) {
  return async (req: Request, res: Response) => {
    const now = new Date();
    const subnets = req.user
      ? await findSubnets(
          db,
          req.user.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId),
        )
      : [];
    res.render('safety/help', { title: 'Need help now?', subnets });
  };
}
