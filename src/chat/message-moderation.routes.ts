import { Router, type Request } from 'express';
import { z } from 'zod';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { EmptyForm, NumericIdParam, validate } from '../http/validate.js';
import { RemoveBody } from '../moderation/moderation.schemas.js';
import { removalFollowUpRoutes } from '../moderation/removal-follow-up.routes.js';
import type { ChatDeps } from './chat.service.js';
import { decideHeld, messageForModeration, messageItem, removeMessage } from './message-moderation.service.js';

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

  // The page after removal, and the author's mute and suspension from it (and from the queue).
  removalFollowUpRoutes(r, deps, {
    path: '/moderation/messages/:messageId',
    params: messageParams,
    load: async (db, actor, params, now) => messageItem(await messageForModeration(db, actor, params.messageId, now)),
    anchor: 'reports',
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

  return r;
}
