import { Router, type Request } from 'express';
import { z } from 'zod';
import { auditContext } from '../audit/audit.service.js';
import { memberTarget } from '../members/members.service.js';
import { SuspendBody } from '../members/members.schemas.js';
import { renderSuspendConfirm, typedReason } from '../members/suspend-confirm.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { numericIdParam } from '../http/params.js';
import { EmptyForm, NumericIdParam, validate } from '../http/validate.js';
import { authorize, canActOnMember } from '../policy/index.js';
import { MUTE_CHOICES, MuteBody, RemoveBody } from '../moderation/moderation.schemas.js';
import type { ChatDeps } from './chat.service.js';
import {
  decideHeld,
  messageForModeration,
  muteAuthor,
  removalFollowUp,
  removeMessage,
  suspendMessageAuthor,
} from './message-moderation.service.js';

/**
 * The moderation queue's actions on a chat message: remove, mute its author, approve or decline a
 * held one, suspend its author. Chat owns its messages; moderation owns the queue and the reports.
 */
export function messageModerationRoutes(deps: ChatDeps): Router {
  const r = Router();
  const { db } = deps;
  const back = (subnetId: string, done: string) => `/subnets/${subnetId}/moderation?done=${done}`;
  const loadMessage = (req: Request, id: number) => messageForModeration(db, actorOf(req), id, new Date());
  const messageParams = z.strictObject({ messageId: NumericIdParam });

  const remove = validate({ params: messageParams, body: RemoveBody });
  r.post('/moderation/messages/:messageId/remove', requireUser, remove, async (req, res) => {
    const { params, body } = remove.read(req);
    const { reason } = body;
    const m = await loadMessage(req, params.messageId);
    await removeMessage(deps, auditContext(req), m, reason, { closeReports: true });
    // Lands on a page that confirms it and keeps the author's mute and suspend within reach.
    res.redirect(303, `/moderation/messages/${m.message.id}/removed`);
  });

  const removed = validate({ params: messageParams });
  r.get('/moderation/messages/:messageId/removed', requireUser, removed, async (req, res) => {
    const f = await removalFollowUp(db, actorOf(req), removed.read(req).params.messageId, new Date());
    res.render('moderation/removed', { title: 'Message removed', ...f, muteChoices: MUTE_CHOICES });
  });

  const mute = validate({ params: messageParams, body: MuteBody });
  r.post('/moderation/messages/:messageId/mute', requireUser, mute, async (req, res) => {
    const { params, body } = mute.read(req);
    const { minutes } = body;
    const m = await loadMessage(req, params.messageId);
    await muteAuthor(deps, auditContext(req), m, minutes, '', new Date(), { closeReports: true });
    res.redirect(303, back(m.room.subnetId, 'muted'));
  });

  const decide = validate({ params: messageParams, body: EmptyForm });
  for (const [path, approve, done] of [
    ['approve', true, 'approved'],
    ['decline', false, 'declined'],
  ] as const) {
    r.post(`/moderation/messages/:messageId/${path}`, requireUser, decide, async (req, res) => {
      const m = await loadMessage(req, decide.read(req).params.messageId);
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
    const confirm = {
      subnet: { id: m.room.subnetId, name: m.room.subnetName },
      member: author,
      action: `/moderation/messages/${m.message.id}/suspend-author`,
      cancel: `/subnets/${m.room.subnetId}/moderation#reports`,
    };
    return { m, author, confirm };
  };

  // Suspending takes a confirmation step that names the person and asks why (kept in the audit log).
  r.get('/moderation/messages/:messageId/suspend-author', requireUser, async (req, res) => {
    renderSuspendConfirm(res, 200, (await loadAuthor(req)).confirm);
  });

  r.post('/moderation/messages/:messageId/suspend-author', requireUser, async (req, res) => {
    const { m, confirm } = await loadAuthor(req);
    const parsed = parseForm(SuspendBody, req.body);
    if (!parsed.ok)
      return renderSuspendConfirm(res, 400, confirm, { reason: typedReason(req.body), errors: parsed.errors });
    await suspendMessageAuthor(deps, auditContext(req), m, parsed.data.reason);
    res.redirect(303, back(m.room.subnetId, 'suspended'));
  });

  return r;
}
