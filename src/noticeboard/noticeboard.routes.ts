import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import type { RoomDetail } from '../building/building.service.js';
import { loadRoomFor } from '../rooms/load-room.js';
import { KIND_LABELS } from '../building/labels.js';
import type { Realtime } from '../realtime/realtime.js';
import { HttpError } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { EmptyForm, UuidParam, validate, type Validator } from '../http/validate.js';
import { refusalSentence } from '../http/refusals.js';
import { badgeFor } from '../people/labels.js';
import { canReplyToThread, canActInRoom, listedContentStatuses, PolicyDenied } from '../policy/index.js';
import type { Config } from '../config.js';
import { postingState, roomCover } from '../safety/duty.service.js';
import { listReplies, listThreads, type ThreadRow } from './noticeboard.repo.js';
import { MoveBody, PageQuery, ReasonBody, ReplyBody, ReportBody, ThreadBody } from './noticeboard.schemas.js';
import {
  reportable,
  changeThread,
  decideHeldPost,
  isRoomStaff,
  otherNoticeboards,
  postForModeration,
  readThread,
  removePost,
  replyToThread,
  reportPost,
  startThread,
  type NoticeboardDeps,
} from './noticeboard.service.js';

const PAGE = 20;
const NOTICES: Record<string, string> = {
  posted: 'Your post is on the noticeboard.',
  held: 'Your post is waiting for a moderator to check it. Only you can see it until then.',
  reported: 'Thank you. Your report has gone to the moderators.',
  saved: 'Saved.',
};

const notice = (done: unknown) => (typeof done === 'string' ? NOTICES[done] : undefined);
const badge = (t: { authorRole: Parameters<typeof badgeFor>[0] }) => badgeFor(t.authorRole);

/** The noticeboard's page (threads and the new-thread form), for the room route (src/rooms), which has loaded the room and let the actor enter it; the form's re-render too. */
export async function renderNoticeboard(
  deps: NoticeboardDeps,
  req: Request,
  res: Response,
  room: RoomDetail,
  status = 200,
  values: Record<string, string> = {},
  errors: FormErrors = NO_ERRORS,
): Promise<void> {
  const { db, config } = deps;
  const actor = actorOf(req);
  const now = new Date();
  const q = parseQuery(PageQuery, req.method === 'GET' ? req.query : {});
  const threads = await listThreads(db, room.id, {
    viewerId: actor.id,
    statuses: listedContentStatuses(actor, room, now),
    limit: PAGE + 1,
    offset: (q.page - 1) * PAGE,
  });
  res.status(status).render('noticeboard/board', {
    title: room.name,
    room,
    kindLabel: KIND_LABELS[room.kind],
    threads: threads.slice(0, PAGE),
    hasNext: threads.length > PAGE,
    page: q.page,
    values,
    errors,
    notice: notice(q.done),
    badge,
    can: { post: canActInRoom(actor, 'post', room, now).allowed },
    cover: await roomCover(db, config, room, now),
  });
}

/** The noticeboard: threads, replies, staff tools and reports. */
export function noticeboardRoutes({ db, realtime, config }: { db: Db; realtime: Realtime; config: Config }): Router {
  const r = Router();
  const deps = { db, realtime, config };
  const renderBoard = (
    req: Request,
    res: Response,
    room: RoomDetail,
    status: number,
    values: Record<string, string>,
    errors: FormErrors,
  ) => renderNoticeboard(deps, req, res, room, status, values, errors);

  r.post('/rooms/:roomId/threads', requireUser, async (req, res) => {
    const room = await loadRoomFor(db, actorOf(req), idParam(req.params.roomId), 'enter', 'noticeboard');
    const form = parseForm(ThreadBody, req.body);
    const values = {
      title: String(req.body?.title ?? '').slice(0, 200),
      body: String(req.body?.body ?? '').slice(0, 10_000),
    };
    if (!form.ok) return renderBoard(req, res, room, 400, values, form.errors);
    try {
      const { id, held } = await startThread(deps, actorOf(req), room, form.data, new Date());
      res.redirect(303, `/threads/${id}?done=${held ? 'held' : 'posted'}`);
    } catch (e) {
      if (!(e instanceof PolicyDenied) || e.hide) throw e;
      const message = refusalSentence(e.reason, config.chat);
      await renderBoard(req, res, room, 403, values, formErrors([{ field: 'body', message }]));
    }
  });

  async function renderThread(
    req: Request,
    res: Response,
    thread: ThreadRow,
    room: RoomDetail,
    status = 200,
    body = '',
    errors: FormErrors = NO_ERRORS,
  ) {
    const actor = actorOf(req);
    const now = new Date();
    const staff = isRoomStaff(actor, room, now);
    const replies = await listReplies(db, thread.id, {
      viewerId: actor.id,
      statuses: listedContentStatuses(actor, room, now),
    });
    const cover = await roomCover(db, config, room, now);
    const canReply =
      thread.status === 'visible' &&
      canReplyToThread(actor, room, thread, await postingState(db, actor.id, cover, room.id), now).allowed;
    res.status(status).render('noticeboard/thread', {
      title: thread.title,
      thread,
      room,
      replies,
      badge,
      body,
      errors,
      notice: notice(req.query.done),
      can: { reply: canReply, moderate: staff, report: canActInRoom(actor, 'report', room, now).allowed },
      moveTo: staff ? await otherNoticeboards(db, room) : [],
      viewerId: actor.id,
    });
  }

  r.get('/threads/:threadId', requireUser, async (req, res) => {
    const { thread, room } = await readThread(db, actorOf(req), idParam(req.params.threadId), new Date());
    await renderThread(req, res, thread, room);
  });

  r.post('/threads/:threadId/replies', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const { thread, room } = await readThread(db, actor, idParam(req.params.threadId), new Date());
    const form = parseForm(ReplyBody, req.body);
    const body = String(req.body?.body ?? '').slice(0, 10_000);
    if (!form.ok) return renderThread(req, res, thread, room, 400, body, form.errors);
    try {
      const { id, held } = await replyToThread(deps, actor, thread, room, form.data.body, new Date());
      res.redirect(303, `/threads/${thread.id}?done=${held ? 'held' : 'posted'}#reply-${id}`);
    } catch (e) {
      if (!(e instanceof PolicyDenied) || e.hide) throw e;
      const message = refusalSentence(e.reason, config.chat);
      await renderThread(req, res, thread, room, 403, body, formErrors([{ field: 'body', message }]));
    }
  });

  // Staff tools on a thread.
  const threadParams = z.strictObject({ threadId: UuidParam });
  const threadAction = (
    path: string,
    valid: Validator<{ params: typeof threadParams }>,
    run: (req: Request, p: Awaited<ReturnType<typeof postForModeration>> & { kind: 'thread' }) => Promise<void>,
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

  r.post('/replies/:replyId/remove', requireUser, async (req, res) => {
    const p = await postForModeration(db, actorOf(req), { replyId: idParam(req.params.replyId) }, new Date());
    const form = parseForm(ReasonBody, req.body);
    await removePost(deps, auditContext(req), p, form.ok ? form.data.reason : '');
    res.redirect(303, `/threads/${p.thread.id}?done=saved`);
  });

  // Approve or decline held posts (from the moderation queue).
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

  // Reports, for anyone who can see the post.
  for (const [kind, param] of [
    ['threads', 'threadId'],
    ['replies', 'replyId'],
  ] as const) {
    const target = (req: Request) =>
      kind === 'threads' ? { threadId: idParam(req.params[param]) } : { replyId: idParam(req.params[param]) };
    r.get(`/${kind}/:${param}/report`, requireUser, async (req, res) => {
      await reportable(db, actorOf(req), target(req), new Date());
      res.render('noticeboard/report', {
        title: 'Report a post',
        action: `/${kind}/${req.params[param]}/report`,
        reason: '',
        errors: NO_ERRORS,
        backHref: kind === 'threads' ? `/threads/${req.params[param]}` : '/',
      });
    });
    r.post(`/${kind}/:${param}/report`, requireUser, async (req, res) => {
      const form = parseForm(ReportBody, req.body);
      if (!form.ok)
        return res.status(400).render('noticeboard/report', {
          title: 'Report a post',
          action: `/${kind}/${req.params[param]}/report`,
          reason: String(req.body?.reason ?? '').slice(0, 500),
          errors: form.errors,
          backHref: '/',
        });
      const { threadId } = await reportPost(
        deps,
        actorOf(req),
        auditContext(req),
        target(req),
        form.data.reason,
        new Date(),
      );
      res.redirect(303, `/threads/${threadId}?done=reported`);
    });
  }

  return r;
}
