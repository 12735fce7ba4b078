import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../chat/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { findSubnet, findSubnets } from '../building/building.repo.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { badgeFor } from '../http/page-locals.js';
import { authorize, decideSubnet, isCurrent } from '../policy/index.js';
import { actionsDuring, listDutySessions } from './duty.repo.js';
import { goOffDuty, goOnDuty } from './duty.service.js';

const EndDuty = z.strictObject({ note: z.string().trim().max(2000, 'The handover note must be 2000 characters or fewer').default(''), _csrf: z.string().optional() });
const Empty = z.strictObject({ _csrf: z.string().optional() });

/** Duty on and off, the supervision log, and the crisis page. */
export function dutyRoutes({ db, realtime }: { db: Db; realtime: Realtime }): Router {
  const r = Router();
  const load = async (req: Request, action: 'go_on_duty' | 'supervise_duty') => {
    const subnet = await findSubnet(db, idParam(req.params.subnetId));
    if (!subnet) throw notFound();
    authorize(decideSubnet(actorOf(req), action, subnet, new Date()));
    return subnet;
  };

  r.post('/subnets/:subnetId/duty/start', requireUser, async (req, res) => {
    const subnet = await load(req, 'go_on_duty');
    parseForm(Empty, req.body);
    await goOnDuty(db, realtime, auditContext(req), actorOf(req), subnet.id);
    res.redirect(303, '/?duty=on');
  });

  r.post('/subnets/:subnetId/duty/end', requireUser, async (req, res) => {
    const subnet = await load(req, 'go_on_duty');
    const form = parseForm(EndDuty, req.body);
    await goOffDuty(db, realtime, auditContext(req), actorOf(req), subnet.id, form.ok ? form.data.note : '');
    res.redirect(303, '/?duty=off');
  });

  r.get('/subnets/:subnetId/duty', requireUser, async (req, res) => {
    const subnet = await load(req, 'supervise_duty');
    const sessions = await listDutySessions(db, subnet.id);
    const withActions = await Promise.all(sessions.map(async (s) => ({ ...s, badge: badgeFor(s.role), actions: await actionsDuring(db, s.userId, s.startedAt, s.endedAt) })));
    res.render('safety/duty-log', { title: `Duty log: ${subnet.name}`, subnet, sessions: withActions });
  });

  // The crisis page ("Need help now?"): open to everyone, signed in or not (the sign-in and error
  // pages link here too). The UK numbers always come first; a signed-in person also sees the own
  // contacts and hours of the services they currently belong to.
  r.get('/help', async (req, res) => {
    const now = new Date();
    const subnets = req.user ? await findSubnets(db, req.user.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId)) : [];
    res.render('safety/help', { title: 'Need help now?', subnets });
  });

  return r;
}
