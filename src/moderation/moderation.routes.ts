import { Router, type Request } from 'express';
import { auditContext } from '../audit/audit.service.js';
import { setAccountStatus } from '../members/members.service.js';
import { findMemberTarget } from '../members/members.repo.js';
import { SuspendBody } from '../members/members.schemas.js';
import { renderSuspendConfirm, typedReason } from '../members/suspend-confirm.js';
import { badRequest, notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { idParam, numericIdParam } from '../http/params.js';
import { authorize, canActOnMember, canActInSubnet } from '../policy/index.js';
import { decideHeld, messageForModeration, muteAuthor, removeMessage, type ChatDeps } from '../chat/chat.service.js';
import { acknowledgeAlertRow, findAlert, findReport, type ReportOutcome, type TargetRef } from './moderation.repo.js';
import { postForModeration } from '../noticeboard/noticeboard.service.js';
import { ActionBody, MUTE_CHOICES, MuteBody, RemoveBody } from './moderation.schemas.js';
import { auditQueueAction, closeReportsAndNotify, moderationQueue } from './moderation.service.js';

const DONE: Record<string, string> = {
  dismissed: 'The report was dismissed.',
  removed: 'The message was removed for everyone.',
  muted: 'The member was muted in that room.',
  approved: 'The message was approved and delivered.',
  declined: 'The message was declined. Its author sees that it was not posted.',
  suspended: 'The account was suspended and signed out everywhere. Your reason is in the audit log.',
  acknowledged: 'The alert was acknowledged.',
};

/** The moderation queue of a subnet and the actions taken from it. Every action is audited. */
export function moderationRoutes(deps: ChatDeps): Router {
  const r = Router();
  const { db } = deps;
  const back = (subnetId: string, done: string) => `/subnets/${subnetId}/moderation?done=${done}`;
  const loadMessage = (req: Request, id: number) => messageForModeration(db, actorOf(req), id, new Date());
  /** The room (and a link back) of whatever a report or alert points at, checked for moderation. */
  const loadTarget = async (req: Request, ref: TargetRef): Promise<{ roomId: string; subnetId: string; link: string }> => {
    if (ref.messageId !== null) {
      const m = await loadMessage(req, ref.messageId);
      return { roomId: m.room.id, subnetId: m.room.subnetId, link: `/rooms/${m.room.id}` };
    }
    const p = await postForModeration(db, actorOf(req), { threadId: ref.threadId ?? undefined, replyId: ref.replyId ?? undefined }, new Date());
    return { roomId: p.room.id, subnetId: p.room.subnetId, link: `/threads/${p.thread.id}` };
  };
  const closeMessageReports = (req: Request, m: Awaited<ReturnType<typeof loadMessage>>, outcome: ReportOutcome) =>
    closeReportsAndNotify(db, deps.realtime, { messageId: m.message.id }, actorOf(req).id, outcome, `/rooms/${m.room.id}`, m.room.id);
  const form = <T>(parsed: { ok: true; data: T } | { ok: false }) => {
    if (!parsed.ok) throw badRequest();
    return parsed.data;
  };

  r.get('/subnets/:subnetId/moderation', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const queue = await moderationQueue(db, actor, idParam(req.params.subnetId), new Date(), deps.config.safety.escalationMs);
    const notice = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    res.render('moderation/queue', { title: `Moderation: ${queue.subnet.name}`, ...queue, notice, muteChoices: MUTE_CHOICES, can: { suspend: canActInSubnet(actor, 'suspend_members', queue.subnet, new Date()).allowed } });
  });

  r.post('/moderation/reports/:reportId/dismiss', requireUser, async (req, res) => {
    form(parseForm(ActionBody, req.body));
    const report = await findReport(db, numericIdParam(req.params.reportId));
    if (!report) throw notFound();
    const target = await loadTarget(req, report);
    await closeReportsAndNotify(db, deps.realtime, { id: report.id }, actorOf(req).id, 'dismissed', target.link, target.roomId);
    await auditQueueAction(db, auditContext(req), 'report.dismiss', 'report', report.id);
    res.redirect(303, back(target.subnetId, 'dismissed'));
  });

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
    const author = await findMemberTarget(db, m.message.authorId);
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
    const { m, author, confirm } = await loadAuthor(req);
    const parsed = parseForm(SuspendBody, req.body);
    if (!parsed.ok) return renderSuspendConfirm(res, 400, confirm, { reason: typedReason(req.body), errors: parsed.errors });
    await setAccountStatus(db, deps.realtime, auditContext(req), author.id, 'suspended', { subnet_id: m.room.subnetId, message_id: String(m.message.id), reason: parsed.data.reason });
    await closeMessageReports(req, m, 'suspended');
    res.redirect(303, back(m.room.subnetId, 'suspended'));
  });

  r.post('/moderation/alerts/:alertId/acknowledge', requireUser, async (req, res) => {
    form(parseForm(ActionBody, req.body));
    const alert = await findAlert(db, numericIdParam(req.params.alertId));
    if (!alert) throw notFound();
    const target = await loadTarget(req, alert);
    if (await acknowledgeAlertRow(db, alert.id, actorOf(req).id)) await auditQueueAction(db, auditContext(req), 'alert.acknowledge', 'alert', alert.id);
    res.redirect(303, back(target.subnetId, 'acknowledged'));
  });

  return r;
}
