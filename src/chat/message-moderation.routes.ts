import { Router, type Request } from 'express';
import { auditContext } from '../audit/audit.service.js';
import { memberTarget } from '../members/members.service.js';
import { SuspendBody } from '../members/members.schemas.js';
import { renderSuspendConfirm, typedReason } from '../members/suspend-confirm.js';
import { badRequest, notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { numericIdParam } from '../http/params.js';
import { authorize, canActOnMember } from '../policy/index.js';
import { ActionBody, MuteBody, RemoveBody } from '../moderation/moderation.schemas.js';
import { decideHeld, messageForModeration, muteAuthor, removeMessage, suspendMessageAuthor, type ChatDeps } from './chat.service.js';

/**
 * The moderation queue's actions on a chat message: remove, mute its author, approve or decline a
 * held one, suspend its author. Chat owns its messages; moderation owns the queue and the reports.
 */
export function messageModerationRoutes(deps: ChatDeps): Router {
  const r = Router();
  const { db } = deps;
  const back = (subnetId: string, done: string) => `/subnets/${subnetId}/moderation?done=${done}`;
  const loadMessage = (req: Request, id: number) => messageForModeration(db, actorOf(req), id, new Date());
  const form = <T>(parsed: { ok: true; data: T } | { ok: false }) => {
    if (!parsed.ok) throw badRequest();
    return parsed.data;
  };

  r.post('/moderation/messages/:messageId/remove', requireUser, async (req, res) => {
    const { reason } = form(parseForm(RemoveBody, req.body));
    const m = await loadMessage(req, numericIdParam(req.params.messageId));
    await removeMessage(deps, auditContext(req), m, reason, { closeReports: true });
    res.redirect(303, back(m.room.subnetId, 'removed'));
  });

  r.post('/moderation/messages/:messageId/mute', requireUser, async (req, res) => {
    const { minutes } = form(parseForm(MuteBody, req.body));
    const m = await loadMessage(req, numericIdParam(req.params.messageId));
    await muteAuthor(deps, auditContext(req), m, minutes, '', new Date(), { closeReports: true });
    res.redirect(303, back(m.room.subnetId, 'muted'));
  });

  for (const [path, approve, done] of [['approve', true, 'approved'], ['decline', false, 'declined']] as const) {
    r.post(`/moderation/messages/:messageId/${path}`, requireUser, async (req, res) => {
      form(parseForm(ActionBody, req.body));
      const m = await loadMessage(req, numericIdParam(req.params.messageId));
      await decideHeld(deps, auditContext(req), m, approve);
      res.redirect(303, back(m.room.subnetId, done));
    });
  }

  /** A reported message's author, checked: the actor may suspend them in the message's subnet. */
  const loadAuthor = async (req: Request) => {
    const m = await loadMessage(req, numericIdParam(req.params.messageId));
    const author = await memberTarget(db, m.message.authorId);
    if (!author) throw notFound();
    authorize(canActOnMember(actorOf(req), 'suspend_member', author, m.room.subnetId, new Date()));
    const confirm = { subnet: { id: m.room.subnetId, name: m.room.subnetName }, member: author, action: `/moderation/messages/${m.message.id}/suspend-author`, cancel: `/subnets/${m.room.subnetId}/moderation#reports` };
    return { m, author, confirm };
  };

  // Suspending takes a confirmation step that names the person and asks why (kept in the audit log).
  r.get('/moderation/messages/:messageId/suspend-author', requireUser, async (req, res) => {
    renderSuspendConfirm(res, 200, (await loadAuthor(req)).confirm);
  });

  r.post('/moderation/messages/:messageId/suspend-author', requireUser, async (req, res) => {
    const { m, confirm } = await loadAuthor(req);
    const parsed = parseForm(SuspendBody, req.body);
    if (!parsed.ok) return renderSuspendConfirm(res, 400, confirm, { reason: typedReason(req.body), errors: parsed.errors });
    await suspendMessageAuthor(deps, auditContext(req), m, parsed.data.reason);
    res.redirect(303, back(m.room.subnetId, 'suspended'));
  });

  return r;
}
