import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import type { RoomDetail } from '../building/building.service.js';
import { loadRoomFor } from '../rooms/load-room.js';
import { KIND_LABELS } from '../building/labels.js';
import type { Realtime } from '../realtime/realtime.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, parseQuery } from '../http/params.js';
import { refusalSentence } from '../http/refusals.js';
import { badgeFor } from '../people/labels.js';
import { canReplyToThread, canActInRoom, listedContentStatuses, PolicyDenied } from '../policy/index.js';
import type { Config } from '../config.js';
import { coverOf, postingState, roomCover, type OnDutyRow } from '../safety/duty.service.js';
import { listReplies, listThreads, type ThreadRow } from './noticeboard.repo.js';
import { PageQuery, ReplyBody, ReportBody, ThreadBody } from './noticeboard.schemas.js';
import {
  reportable,
  isRoomStaff,
  readThread,
  replyToThread,
  reportPost,
  startThread,
  type NoticeboardDeps,
} from './noticeboard.service.js';
import { otherNoticeboards } from './post-moderation.service.js';
import { postModerationRoutes } from './post-moderation.routes.js';

const PAGE = 20;
const NOTICES: Record<string, string> = {
  posted: 'Your post is on the noticeboard.',
  held: 'Your post is waiting for a moderator to check it. Only you can see it until then.',
  reported: 'Thank you. Your report has gone to the moderators.',
  saved: 'Saved.',
};

const notice = (done: unknown) => (typeof done === 'string' ? NOTICES[done] : undefined);
const badge = (t: { authorRole: Parameters<typeof badgeFor>[0] }) => badgeFor(t.authorRole);

/**
 * The noticeboard's page (threads and the new-thread form), for the room route (src/rooms), which has
 * loaded the room (and who is on duty in its subnet, `onDuty`) and let the actor enter it; the form's
 * re-render too.
 */
export async function renderNoticeboard(
  deps: NoticeboardDeps,
  req: Request,
  res: Response,
  room: RoomDetail,
  status = 200,
  values: Record<string, string> = {},
  errors: FormErrors = NO_ERRORS,
  onDuty?: OnDutyRow[],
): Promise<void> {
  const { db, config } = deps;
  const actor = actorOf(req);
  const now = new Date();
  const q = parseQuery(PageQuery, req.method === 'GET' ? req.query : {});
  const [threads, cover] = await Promise.all([
    listThreads(db, room.id, {
      viewerId: actor.id,
      statuses: listedContentStatuses(actor, room, now),
      limit: PAGE + 1,
      offset: (q.page - 1) * PAGE,
    }),
    // Who is on duty came with the room when the room route read it (one round trip fewer).
    onDuty ? coverOf(config, room, onDuty, now) : roomCover(db, config, room, now),
  ]);
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
    cover,
  });
}

/** The noticeboard: threads, replies, staff tools and reports. */
export function noticeboardRoutes({ db, realtime, config }: { db: Db; realtime: Realtime; config: Config }): Router {
  const r = Router();
  const deps = { db, realtime, config };
  r.post('/rooms/:roomId/threads', requireUser, (req, res) => postThread(deps, req, res));
  r.get('/threads/:threadId', requireUser, (req, res) => showThread(deps, req, res));
  r.post('/threads/:threadId/replies', requireUser, (req, res) => postReply(deps, req, res));
  postModerationRoutes(r, deps);
  reportRoutes(r, deps);
  return r;
}

/** POST /rooms/:roomId/threads: starts a thread, or re-renders the board at 400 (invalid) or 403 (refused, with the reason). */
async function postThread(deps: NoticeboardDeps, req: Request, res: Response): Promise<void> {
  const { db, config } = deps;
  const room = await loadRoomFor(db, actorOf(req), idParam(req.params.roomId), 'enter', 'noticeboard');
  const form = parseForm(ThreadBody, req.body);
  const values = {
    title: String(req.body?.title ?? '').slice(0, 200),
    body: String(req.body?.body ?? '').slice(0, 10_000),
  };
  if (!form.ok) return renderNoticeboard(deps, req, res, room, 400, values, form.errors);
  try {
    const { id, held } = await startThread(deps, actorOf(req), room, form.data, new Date());
    res.redirect(303, `/threads/${id}?done=${held ? 'held' : 'posted'}`);
  } catch (e) {
    if (!(e instanceof PolicyDenied) || e.hide) throw e;
    const message = refusalSentence(e.reason, config.chat);
    await renderNoticeboard(deps, req, res, room, 403, values, formErrors([{ field: 'body', message }]));
  }
}

/** A thread's page: its replies, the reply form, and the staff tools for staff. */
async function renderThread(
  { db, config }: NoticeboardDeps,
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

/** GET /threads/:threadId */
async function showThread(deps: NoticeboardDeps, req: Request, res: Response): Promise<void> {
  const { thread, room } = await readThread(deps.db, actorOf(req), idParam(req.params.threadId), new Date());
  await renderThread(deps, req, res, thread, room);
}

/** POST /threads/:threadId/replies: replies, or re-renders the thread at 400 (invalid) or 403 (refused, with the reason). */
async function postReply(deps: NoticeboardDeps, req: Request, res: Response): Promise<void> {
  const actor = actorOf(req);
  const { thread, room } = await readThread(deps.db, actor, idParam(req.params.threadId), new Date());
  const form = parseForm(ReplyBody, req.body);
  const body = String(req.body?.body ?? '').slice(0, 10_000);
  if (!form.ok) return renderThread(deps, req, res, thread, room, 400, body, form.errors);
  try {
    const { id, held } = await replyToThread(deps, actor, thread, room, form.data.body, new Date());
    res.redirect(303, `/threads/${thread.id}?done=${held ? 'held' : 'posted'}#reply-${id}`);
  } catch (e) {
    if (!(e instanceof PolicyDenied) || e.hide) throw e;
    const message = refusalSentence(e.reason, deps.config.chat);
    await renderThread(deps, req, res, thread, room, 403, body, formErrors([{ field: 'body', message }]));
  }
}

/** Reports, for anyone who can see the post: the form (GET) and the report (POST), for threads and replies. */
function reportRoutes(r: Router, deps: NoticeboardDeps): void {
  const { db } = deps;
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
}
