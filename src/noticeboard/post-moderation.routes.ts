import { type Request, type Router } from 'express';
import { z } from 'zod';
import { auditContext } from '../audit/audit.service.js';
import { HttpError } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { EmptyForm, UuidParam, validate, type Validator } from '../http/validate.js';
import { MoveBody, ReasonBody } from './noticeboard.schemas.js';
import type { NoticeboardDeps } from './noticeboard.service.js';
import { RemoveBody } from '../moderation/moderation.schemas.js';
import { removalFollowUpRoutes } from '../moderation/removal-follow-up.routes.js';
import {
  changeThread,
  decideHeldPost,
  postForModeration,
  postItem,
  removePost,
  type PostTarget,
} from './post-moderation.service.js';

/** Registers the staff tools on noticeboard posts (pin, lock, move, remove) and the queue's approve and decline. */
export function postModerationRoutes(r: Router, deps: NoticeboardDeps): void {
  threadToolRoutes(r, deps);
  r.post('/replies/:replyId/remove', requireUser, async (req, res) => {
    const p = await postForModeration(deps.db, actorOf(req), { replyId: idParam(req.params.replyId) }, new Date());
    const form = parseForm(ReasonBody, req.body);
    await removePost(deps, auditContext(req), p, form.ok ? form.data.reason : '');
    res.redirect(303, `/threads/${p.thread.id}?done=saved`);
  });
  heldPostRoutes(r, deps);
  queueRemovalRoutes(r, deps);
}

const threadParams = z.strictObject({ threadId: UuidParam });

/** Staff tools on a thread: pin, unpin, lock, unlock, move, remove. */
function threadToolRoutes(r: Router, deps: NoticeboardDeps): void {
  const { db } = deps;
  const threadAction = (
    path: string,
    valid: Validator<{ params: typeof threadParams }>,
    run: (req: Request, p: PostTarget & { kind: 'thread' }) => Promise<void>,
  ) =>
    r.post(`/threads/:threadId/${path}`, requireUser, valid, async (req, res) => {
      const p = await postForModeration(db, actorOf(req), { threadId: valid.read(req).params.threadId }, new Date());
      if (p.kind !== 'thread') throw new HttpError(404, 'not_found');
      await run(req, p);
      res.redirect(
        303,
        p.thread.status === 'removed' || path === 'remove'
          ? `/rooms/${p.room.id}?done=saved`
          : `/threads/${p.thread.id}?done=saved`,
      );
    });
  const emptyThreadForm = validate({ params: threadParams, body: EmptyForm });
  const threadForm = validate({ params: threadParams });
  for (const [path, change] of [
    ['pin', { pinned: true }],
    ['unpin', { pinned: false }],
    ['lock', { locked: true }],
    ['unlock', { locked: false }],
  ] as const) {
    threadAction(path, emptyThreadForm, async (req, p) => {
      await changeThread(deps, auditContext(req), actorOf(req), p, change, new Date());
    });
  }
  threadAction('move', threadForm, async (req, p) => {
    const form = parseForm(MoveBody, req.body);
    if (
      !form.ok ||
      !(await changeThread(deps, auditContext(req), actorOf(req), p, { roomId: form.data.roomId }, new Date()))
    )
      throw new HttpError(400, 'bad_request');
  });
  threadAction('remove', threadForm, async (req, p) => {
    const form = parseForm(ReasonBody, req.body);
    await removePost(deps, auditContext(req), p, form.ok ? form.data.reason : '');
  });
}

/** Approve or decline held posts (from the moderation queue). */
function heldPostRoutes(r: Router, deps: NoticeboardDeps): void {
  const { db } = deps;
  for (const [kind, param] of [
    ['threads', 'threadId'],
    ['replies', 'replyId'],
  ] as const) {
    for (const [path, approve] of [
      ['approve', true],
      ['decline', false],
    ] as const) {
      const decide = validate({ params: z.strictObject({ [param]: UuidParam }), body: EmptyForm });
      r.post(`/moderation/${kind}/:${param}/${path}`, requireUser, decide, async (req, res) => {
        const id = decide.read(req).params[param];
        const p = await postForModeration(
          db,
          actorOf(req),
          kind === 'threads' ? { threadId: id } : { replyId: id },
          new Date(),
        );
        await decideHeldPost(deps, auditContext(req), p, approve);
        res.redirect(303, `/subnets/${p.room.subnetId}/moderation?done=${approve ? 'approved' : 'declined'}`);
      });
    }
  }
}

/**
 * Removing a reported thread or reply from the moderation queue: it lands on a page that confirms
 * it and keeps its author's mute (in the post's room) and suspension within reach, as for a chat
 * message; those steps are moderation's, shared.
 */
function queueRemovalRoutes(r: Router, deps: NoticeboardDeps): void {
  for (const [kind, param] of [
    ['threads', 'threadId'],
    ['replies', 'replyId'],
  ] as const) {
    const params = z.strictObject({ [param]: UuidParam });
    const target = (id: string | undefined) => (kind === 'threads' ? { threadId: id } : { replyId: id });
    const remove = validate({ params, body: RemoveBody });
    r.post(`/moderation/${kind}/:${param}/remove`, requireUser, remove, async (req, res) => {
      const { params: parsed, body } = remove.read(req);
      const p = await postForModeration(deps.db, actorOf(req), target(parsed[param]), new Date());
      await removePost(deps, auditContext(req), p, body.reason);
      res.redirect(303, `${postItem(p).path}/removed`);
    });
    removalFollowUpRoutes(r, deps, {
      path: `/moderation/${kind}/:${param}`,
      params,
      load: async (db, actor, parsed, now) => postItem(await postForModeration(db, actor, target(parsed[param]), now)),
      anchor: 'post-flags',
    });
  }
}
