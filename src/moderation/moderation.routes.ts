import { Router, type Request } from 'express';
import { z } from 'zod';
import { auditContext } from '../audit/audit.service.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { idParam } from '../http/params.js';
import { EmptyForm, NumericIdParam, validate } from '../http/validate.js';
import { canActInSubnet } from '../policy/index.js';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { Realtime } from '../realtime/realtime.js';
import type { NotificationTargetRef } from '../notifications/notifications.service.js';
import { acknowledgeAlertRow, findAlert, findReport, type TargetRef } from './moderation.repo.js';
import { postForModeration } from '../noticeboard/post-moderation.service.js';
import { MUTE_CHOICES, QueueQuery } from './moderation.schemas.js';
import {
  announceQueueChange,
  auditQueueAction,
  closeReportsAndNotify,
  measureAlertSubnet,
  messageRoomForModeration,
  moderationQueue,
} from './moderation.service.js';

const DONE: Record<QueueQuery['done'] & string, string> = {
  dismissed: 'The report was dismissed.',
  removed: 'The message was removed for everyone.',
  muted: 'The member was muted in that room.',
  approved: 'The message was approved and delivered.',
  declined: 'The message was declined. Its author sees that it was not posted.',
  suspended: 'The account was suspended and signed out everywhere. Your reason is in the audit log.',
  acknowledged: 'The alert was acknowledged.',
};

/** The room (and a link back) of whatever a report or alert points at, checked for moderation. */
async function targetOf(
  db: Db,
  req: Request,
  ref: TargetRef,
): Promise<{ roomId: string; subnetId: string; link: string; target: NotificationTargetRef }> {
  if (ref.messageId !== null) {
    const room = await messageRoomForModeration(db, actorOf(req), ref.messageId, new Date());
    return {
      roomId: room.id,
      subnetId: room.subnetId,
      link: `/rooms/${room.id}`,
      target: { kind: 'room', id: room.id },
    };
  }
  const p = await postForModeration(
    db,
    actorOf(req),
    { threadId: ref.threadId ?? undefined, replyId: ref.replyId ?? undefined },
    new Date(),
  );
  return {
    roomId: p.room.id,
    subnetId: p.room.subnetId,
    link: `/threads/${p.thread.id}`,
    target: { kind: 'thread', id: p.thread.id },
  };
}

/**
 * The moderation queue of a subnet, dismissing reports and acknowledging alerts (the actions on a
 * chat message are chat's: src/chat/message-moderation.routes.ts). Every action is audited.
 */
export function moderationRoutes(deps: { db: Db; realtime: Realtime; config: Config }): Router {
  const r = Router();
  const { db } = deps;
  const back = (subnetId: string, done: string) => `/subnets/${subnetId}/moderation?done=${done}`;
  const loadTarget = (req: Request, ref: TargetRef) => targetOf(db, req, ref);
  const dismiss = validate({ params: z.strictObject({ reportId: NumericIdParam }), body: EmptyForm });
  const acknowledge = validate({ params: z.strictObject({ alertId: NumericIdParam }), body: EmptyForm });

  const showQueue = validate({ query: QueueQuery });
  r.get('/subnets/:subnetId/moderation', requireUser, showQueue, async (req, res) => {
    const actor = actorOf(req);
    const { done, room } = showQueue.read(req).query;
    const queue = await moderationQueue(
      db,
      actor,
      idParam(req.params.subnetId),
      new Date(),
      deps.config.safety.escalationMs,
      room ?? null,
    );
    const notice = done ? DONE[done] : undefined;
    res.render('moderation/queue', {
      title: `Moderation: ${queue.subnet.name}`,
      ...queue,
      notice,
      muteChoices: MUTE_CHOICES,
      can: { suspend: canActInSubnet(actor, 'suspend_members', queue.subnet, new Date()).allowed },
    });
  });

  r.post('/moderation/reports/:reportId/dismiss', requireUser, dismiss, async (req, res) => {
    const report = await findReport(db, dismiss.read(req).params.reportId);
    if (!report) throw notFound();
    const target = await loadTarget(req, report);
    await closeReportsAndNotify(
      db,
      deps.realtime,
      { id: report.id },
      actorOf(req).id,
      'dismissed',
      target.link,
      { id: target.roomId, subnetId: target.subnetId },
      target.target,
    );
    await auditQueueAction(db, auditContext(req), 'report.dismiss', 'report', report.id);
    res.redirect(303, back(target.subnetId, 'dismissed'));
  });

  r.post('/moderation/alerts/:alertId/acknowledge', requireUser, acknowledge, async (req, res) => {
    const alert = await findAlert(db, acknowledge.read(req).params.alertId);
    if (!alert) throw notFound();
    // An alert on a measure answer is the subnet's, in no room; the others are about a room's content.
    const where = alert.measure
      ? { roomId: null, subnetId: (await measureAlertSubnet(db, actorOf(req), alert, new Date())).id }
      : await loadTarget(req, alert);
    if (await acknowledgeAlertRow(db, alert.id, actorOf(req).id)) {
      await auditQueueAction(db, auditContext(req), 'alert.acknowledge', 'alert', alert.id);
      announceQueueChange(db, deps.realtime, { id: where.roomId, subnetId: where.subnetId }, 'handled');
    }
    res.redirect(303, back(where.subnetId, 'acknowledged'));
  });

  return r;
}
