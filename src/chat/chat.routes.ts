import type { Config } from '../config.js';
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { auditContext } from '../audit/audit.service.js';
import type { RoomDetail } from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, numericIdParam, parseQuery } from '../http/params.js';
import { canActInRoom, PolicyDenied } from '../policy/index.js';
import { notFound } from '../http/errors.js';
import { coverOf } from '../safety/duty.service.js';
import { SUPPORT_STATEMENT, TOLD } from '../safety/support.js';
import { PostMessageBody, ReportMessageBody } from './chat.schemas.js';
import {
  ChatRefusal,
  SessionEnded,
  enterLivingRoom,
  inTimeOrder,
  sendMessage,
  toPublic,
  toRoomPage,
  openRoom,
  type ChatDeps,
  type LivingRoomPage,
} from './chat.service.js';
import { messageToReport, reportMessage } from './message-moderation.service.js';
import { isDatabaseUnavailable } from '../db/connection.js';
import { refusalSentence, refusalSentences } from '../http/refusals.js';

const RoomQuery = z.strictObject({
  before: z.coerce.number().int().positive().optional(),
  sent: z.literal('1').optional(),
  held: z.literal('1').optional(),
  // Who an alert reached (the sender's support box says so truthfully).
  support: z.enum(TOLD).optional(),
  reported: z.literal('1').optional(),
});

/**
 * The living room's page (server-rendered history, a plain form that works without JavaScript),
 * for a room the caller has loaded and the policy has let the actor enter; `read` when the caller
 * already read its rows with the room (the room route).
 */
/** The page's refusal sentences for its script, as JSON: the same for every page of one configuration. */
const refusalsJson = new WeakMap<Config['chat'], string>();
function refusalsFor(limits: Config['chat']): string {
  let json = refusalsJson.get(limits);
  if (json === undefined) {
    json = JSON.stringify(refusalSentences(limits));
    refusalsJson.set(limits, json);
  }
  return json;
}

export async function renderLivingRoom(
  deps: ChatDeps,
  req: Request,
  res: Response,
  room: RoomDetail,
  status = 200,
  extra: { body?: string; errors?: FormErrors; read?: LivingRoomPage } = {},
): Promise<void> {
  const actor = actorOf(req);
  const now = new Date();
  const q = parseQuery(RoomQuery, req.method === 'GET' ? req.query : {});
  const read = extra.read ?? (await openRoom(deps.db, room.id, actor.id, q.before));
  if (!read) throw notFound();
  const { history, held } = toRoomPage(read.visible, read.own, { beforeId: q.before });
  const cover = coverOf(deps.config, room, read.onDuty, now);
  const presence = await deps.realtime.presence(room.id, room.subnetId);
  const notice = q.held
    ? 'Your message is waiting for a moderator to check it. Only you can see it until then.'
    : q.reported
      ? 'Thank you. Your report has gone to the moderators.'
      : q.sent
        ? 'Message sent.'
        : undefined;
  res.status(status).render('chat/living-room', {
    title: room.name,
    room,
    kindLabel: KIND_LABELS[room.kind],
    history,
    held,
    timeline: inTimeOrder(history, held),
    presence,
    olderPage: q.before !== undefined,
    can: {
      moderate: canActInRoom(actor, 'moderate', room, now).allowed,
      report: canActInRoom(actor, 'report', room, now).allowed,
    },
    clientId: randomUUID(),
    body: extra.body ?? '',
    errors: extra.errors ?? NO_ERRORS,
    notice,
    support: q.support ?? null,
    supportStatements: SUPPORT_STATEMENT,
    maxLength: deps.config.chat.maxLength,
    cover,
    refusals: refusalsFor(deps.config.chat),
  });
}

/** Sending and reporting in the living room (its page is served by the room route, src/rooms). */
export function chatRoutes(deps: ChatDeps): Router {
  const r = Router();
  const { db } = deps;
  const renderRoom = (
    req: Request,
    res: Response,
    room: RoomDetail,
    status: number,
    extra: { body: string; errors: FormErrors },
  ) => renderLivingRoom(deps, req, res, room, status, extra);

  r.post('/rooms/:roomId/messages', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const room = await enterLivingRoom(db, actor, idParam(req.params.roomId), new Date());
    const form = parseForm(PostMessageBody, req.body);
    const body = String(req.body?.body ?? '').slice(0, 20_000);
    if (!form.ok)
      return renderRoom(req, res, room, 400, {
        body,
        errors: formErrors([{ field: 'body', message: form.errors.list[0]?.message ?? 'Write a message' }]),
      });
    try {
      const sent = await sendMessage(
        deps,
        { userId: actor.id },
        { roomId: room.id, clientId: form.data.clientId, body: form.data.body },
        new Date(),
      );
      const flag = sent.told ? `support=${sent.told}` : sent.held ? 'held=1' : 'sent=1';
      res.redirect(303, `/rooms/${room.id}?${flag}#latest`);
    } catch (e) {
      if (e instanceof SessionEnded) return res.redirect(303, '/login');
      // The database cannot write (a restart or a failover): the room is shown again with what was
      // typed, if it can still be read; otherwise the error handler's 503 page.
      if (isDatabaseUnavailable(e)) {
        res.set('Retry-After', '30');
        return renderRoom(req, res, room, 503, {
          body,
          errors: formErrors([{ field: 'body', message: refusalSentence('unavailable', deps.config.chat) }]),
        });
      }
      if (
        !(e instanceof ChatRefusal) &&
        !(e instanceof PolicyDenied && (e.reason === 'muted' || e.reason === 'read_only_now'))
      )
        throw e;
      const code = e instanceof ChatRefusal ? e.code : e.reason === 'muted' ? 'muted' : 'read_only';
      if (e instanceof ChatRefusal && e.retryAfter) res.set('Retry-After', String(e.retryAfter));
      await renderRoom(
        req,
        res,
        room,
        code === 'rate_limited' ? 429 : code === 'muted' || code === 'read_only' ? 403 : 400,
        { body, errors: formErrors([{ field: 'body', message: refusalSentence(code, deps.config.chat) }]) },
      );
    }
  });

  const loadReportable = async (req: Request) => {
    const { message, room } = await messageToReport(db, actorOf(req), numericIdParam(req.params.messageId), new Date());
    return { message: toPublic(message), room };
  };

  r.get('/messages/:messageId/report', requireUser, async (req, res) => {
    const { message, room } = await loadReportable(req);
    res.render('chat/report', { title: 'Report a message', message, room, reason: '', errors: NO_ERRORS });
  });

  r.post('/messages/:messageId/report', requireUser, async (req, res) => {
    const { message, room } = await loadReportable(req);
    const form = parseForm(ReportMessageBody, req.body);
    if (!form.ok)
      return res.status(400).render('chat/report', {
        title: 'Report a message',
        message,
        room,
        reason: String(req.body?.reason ?? '').slice(0, 500),
        errors: form.errors,
      });
    await reportMessage(deps, actorOf(req), auditContext(req), message.id, form.data.reason, new Date());
    res.redirect(303, `/rooms/${room.id}?reported=1`);
  });

  return r;
}
