import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import {
  authorLabel,
  careTeamInbox,
  openConversation,
  ownConversationId,
  writeInConversation,
  type OpenConversation,
} from './care-team.service.js';

const MessageBody = z.strictObject({
  body: z
    .string({ error: 'Write your message' })
    .trim()
    .min(1, 'Write your message')
    .max(10_000, 'Your message must be 10,000 characters or fewer'),
  _csrf: z.string().optional(),
});

/** Care-team conversations: a member's private word with their clinicians. */
export function careTeamRoutes({ db, realtime }: { db: Db; realtime: Realtime }): Router {
  const r = Router();

  const render = (
    req: Request,
    res: Response,
    open: OpenConversation,
    status = 200,
    body = '',
    errors: FormErrors = NO_ERRORS,
  ) =>
    res.status(status).render('care-team/conversation', {
      title: open.isOwn ? `Your care team: ${open.subnet.name}` : `Care team: ${open.conversation.memberNickname}`,
      ...open,
      body,
      errors,
      label: (m: Parameters<typeof authorLabel>[0]) => authorLabel(m, actorOf(req).id),
      notice:
        req.query.sent === '1'
          ? 'Sent. Your care team will answer; you will get a notification.'
          : req.query.sent === 'answer'
            ? 'Your answer was sent.'
            : undefined,
    });

  // The member's own conversation in a subnet: created on first visit.
  r.get('/subnets/:subnetId/care-team/mine', requireUser, async (req, res) => {
    const id = await ownConversationId(db, actorOf(req), idParam(req.params.subnetId), new Date());
    res.redirect(303, `/care-team/conversations/${id}`);
  });

  r.get('/care-team/conversations/:conversationId', requireUser, async (req, res) => {
    const open = await openConversation(
      db,
      actorOf(req),
      auditContext(req),
      idParam(req.params.conversationId),
      new Date(),
    );
    render(req, res, open);
  });

  r.post('/care-team/conversations/:conversationId/messages', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const open = await openConversation(db, actor, auditContext(req), idParam(req.params.conversationId), new Date());
    const form = parseForm(MessageBody, req.body);
    if (!form.ok) return render(req, res, open, 400, String(req.body?.body ?? '').slice(0, 10_000), form.errors);
    await writeInConversation({ db, realtime }, actor, auditContext(req), open, form.data.body);
    res.redirect(303, `/care-team/conversations/${open.conversation.id}?sent=${open.isOwn ? '1' : 'answer'}#latest`);
  });

  r.get('/subnets/:subnetId/care-team', requireUser, async (req, res) => {
    const inbox = await careTeamInbox(db, actorOf(req), idParam(req.params.subnetId), new Date());
    res.render('care-team/inbox', { title: `Care team: ${inbox.subnet.name}`, ...inbox, now: new Date() });
  });

  return r;
}
