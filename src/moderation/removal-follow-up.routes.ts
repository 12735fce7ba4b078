import type { Router } from 'express';
import type { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import type { SessionUser } from '../people/person.js';
import { auditContext } from '../audit/audit.service.js';
import { SuspendBody } from '../members/members.schemas.js';
import { renderSuspendConfirm, typedReason } from '../members/suspend-confirm.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { validate } from '../http/validate.js';
import { MUTE_CHOICES, MuteBody } from './moderation.schemas.js';
import {
  authorToSuspend,
  muteItemAuthor,
  removalFollowUp,
  suspendItemAuthor,
  type ModeratedItem,
} from './removal-follow-up.js';

/** How a feature's queue item (a chat message, a noticeboard thread or reply) is found by its URL. */
export interface FollowUpSpec<P extends z.ZodType> {
  /** The item's address, e.g. '/moderation/messages/:messageId'. */
  path: string;
  params: P;
  /** Loads the item for a moderator of its room. @throws HttpError 404 / PolicyDenied. */
  load: (db: Db, actor: SessionUser, params: z.output<P>, now: Date) => Promise<ModeratedItem>;
  /** The queue's section that the suspension step's Cancel returns to. */
  anchor: string;
}

const TITLES: Record<ModeratedItem['kind'], string> = {
  message: 'Message removed',
  thread: 'Thread removed',
  reply: 'Reply removed',
};

/**
 * The steps that keep a removed item's author within reach, the same for every kind of item: the
 * page after removal (`removed`), mute in its room (`mute`), and suspend with a confirmation that
 * asks why (`suspend-author`). Each lands back on the queue with its confirmation.
 */
export function removalFollowUpRoutes<P extends z.ZodType>(
  r: Router,
  deps: { db: Db; realtime: Realtime },
  spec: FollowUpSpec<P>,
): void {
  const { db } = deps;
  const back = (item: ModeratedItem, done: string) => `/subnets/${item.room.subnetId}/moderation?done=${done}`;
  const byParams = validate({ params: spec.params });
  const load = (req: Parameters<typeof byParams.read>[0]) =>
    spec.load(db, actorOf(req), byParams.read(req).params, new Date());

  r.get(`${spec.path}/removed`, requireUser, byParams, async (req, res) => {
    const f = await removalFollowUp(db, actorOf(req), await load(req), new Date());
    res.render('moderation/removed', { title: TITLES[f.item.kind], ...f, muteChoices: MUTE_CHOICES });
  });

  const mute = validate({ body: MuteBody });
  r.post(`${spec.path}/mute`, requireUser, byParams, mute, async (req, res) => {
    const item = await load(req);
    await muteItemAuthor(deps, auditContext(req), item, mute.read(req).body.minutes, new Date(), {
      closeReports: true,
    });
    res.redirect(303, back(item, 'muted'));
  });

  /** The item's author, checked: the actor may suspend them in its subnet. */
  const confirmFor = async (req: Parameters<typeof byParams.read>[0]) => {
    const item = await load(req);
    const author = await authorToSuspend(db, actorOf(req), item, new Date());
    const confirm = {
      subnet: { id: item.room.subnetId, name: item.room.subnetName },
      member: author,
      action: `${item.path}/suspend-author`,
      cancel: `/subnets/${item.room.subnetId}/moderation#${spec.anchor}`,
    };
    return { item, confirm };
  };

  // Suspending takes a confirmation step that names the person and asks why (kept in the audit log).
  r.get(`${spec.path}/suspend-author`, requireUser, byParams, async (req, res) => {
    renderSuspendConfirm(res, 200, (await confirmFor(req)).confirm);
  });

  r.post(`${spec.path}/suspend-author`, requireUser, byParams, async (req, res) => {
    const { item, confirm } = await confirmFor(req);
    const parsed = parseForm(SuspendBody, req.body);
    if (!parsed.ok)
      return renderSuspendConfirm(res, 400, confirm, { reason: typedReason(req.body), errors: parsed.errors });
    await suspendItemAuthor(deps, auditContext(req), item, parsed.data.reason);
    res.redirect(303, back(item, 'suspended'));
  });
}
