import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { SessionUser } from '../people/person.js';
import { keepSessionAlive } from '../auth/session.js';
import type { RoomDetail } from '../building/building.service.js';
import { badgeFor } from '../people/labels.js';
import { HttpError, notFound } from '../http/errors.js';
import {
  authorize,
  canPostMessage,
  canPostWithoutModeration,
  canActInRoom,
  isActive,
  PolicyDenied,
  type Role,
} from '../policy/index.js';
import { findMessageByClientId, type MessageRow, type ShownMessageRow } from './chat.repo.js';
import { findLivingRoomPage, listMessages, type LivingRoomPage } from './history.repo.js';
import { loadRoomFor } from '../rooms/load-room.js';

export type { LivingRoomPage } from './history.repo.js';
import { insertMessageGuarded, loadSendContext } from './send.repo.js';
import { evaluateWatchedWords } from '../moderation/watched-words.js';
import { COVER_HOLD, heldReasonOf } from '../moderation/held-reason.js';
import { announceQueueChange } from '../moderation/moderation.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { coverHoldsPosts, coverOf } from '../safety/duty.service.js';
import { announceAlert, supportText, whoWasTold, type Told } from '../safety/support.js';
import { isDatabaseUnavailable } from '../db/connection.js';
import { messagePersisted } from '../metrics.js';
import type { ChatRefusalCode, RefusalCode } from '../http/refusals.js';

export interface ChatDeps {
  db: Db;
  realtime: Realtime;
  config: Config;
}

/** A message as every reader sees it: nickname and staff badge only, never an account id. */
export interface PublicMessage {
  id: number;
  roomId: string;
  nickname: string;
  badge: string | null;
  body: string;
  createdAt: string;
  status: 'visible' | 'held' | 'declined';
}

export function toPublic(m: ShownMessageRow): PublicMessage {
  return {
    id: m.id,
    roomId: m.roomId,
    nickname: m.authorNickname,
    badge: badgeFor(m.authorRole as Role),
    body: m.body,
    createdAt: m.createdAt.toISOString(),
    status: m.status === 'held' || m.status === 'declined' ? m.status : 'visible',
  };
}

/** A refusal a person can act on: its code goes into a socket ack or a form error. */
export class ChatRefusal extends Error {
  constructor(
    readonly code: ChatRefusalCode,
    readonly retryAfter = 0,
  ) {
    super(code);
    this.name = 'ChatRefusal';
  }
}

/**
 * Loads a living room the actor may enter.
 * @throws HttpError 404 (no such living room) or PolicyDenied.
 */
export async function enterLivingRoom(db: Db, actor: SessionUser, roomId: string, now: Date): Promise<RoomDetail> {
  return loadRoomFor(db, actor, roomId, 'enter', 'living_room', now);
}

/**
 * Any room with, when it is a living room, its reader's page, in one round trip (the room route's
 * read; another kind of room has no messages, so its page comes back empty). The caller asks the
 * policy about the room before it uses anything else read here.
 */
export async function openRoom(
  db: Db,
  roomId: string,
  readerId: string,
  beforeId: number | undefined,
): Promise<LivingRoomPage | undefined> {
  return findLivingRoomPage(db, roomId, readerId, { beforeId, limit: roomPageLimit({}) });
}

export interface History {
  messages: PublicMessage[];
  hasOlder: boolean;
}

const pageSize = (opts: { afterId?: number }) => (opts.afterId !== undefined ? 500 : 50);

/** One more row than the page is fetched, to know whether there are older messages. */
function toHistory(rows: ShownMessageRow[], opts: { afterId?: number }): History {
  const limit = pageSize(opts);
  const hasMore = rows.length > limit;
  const page = opts.afterId !== undefined ? rows.slice(0, limit) : rows.slice(hasMore ? 1 : 0);
  return { messages: page.map(toPublic), hasOlder: opts.afterId === undefined ? hasMore : false };
}

/** The latest messages of a room, older ones before an id, or those after an id (catch-up after a reconnect). */
export async function roomHistory(
  db: Db,
  roomId: string,
  opts: { afterId?: number; beforeId?: number },
): Promise<History> {
  return toHistory(await listMessages(db, roomId, { ...opts, limit: pageSize(opts) + 1 }), opts);
}

/** The rows of a room's page (history and the reader's own held messages) as the page shows them. */
export function toRoomPage(
  visible: ShownMessageRow[],
  own: ShownMessageRow[],
  opts: { afterId?: number; beforeId?: number },
): { history: History; held: PublicMessage[] } {
  return { history: toHistory(visible, opts), held: own.map(toPublic) };
}

/**
 * The page's messages in id (time) order: the reader's own held and declined ones among the
 * visible, where they were written, not after them.
 */
export function inTimeOrder(history: History, held: PublicMessage[]): PublicMessage[] {
  return [...history.messages, ...held].sort((a, b) => a.id - b.id);
}

/** The limit a room's page asks for (one more than it shows, to know whether there are older messages). */
export const roomPageLimit = (opts: { afterId?: number }) => pageSize(opts) + 1;

/** A room as its reader opens it: the history page and the reader's own held or declined messages. */
export async function roomPage(
  db: Db,
  roomId: string,
  readerId: string,
  opts: { afterId?: number; beforeId?: number },
): Promise<{ history: History; held: PublicMessage[] }> {
  const read = await findLivingRoomPage(db, roomId, readerId, { ...opts, limit: roomPageLimit(opts) });
  if (!read) throw notFound();
  return toRoomPage(read.visible, read.own, opts);
}

export interface SendOutcome {
  message: PublicMessage;
  /** The message waits for a moderator (a hold rule matched). */
  held: boolean;
  /** An alert rule matched: the sender is shown supportive words and the crisis contacts. */
  support: string | null;
  /** When an alert rule matched, who was told at once (the support text says so). */
  told: Told | null;
}

/** The sender's session has ended or their account is no longer active (the socket is closed). */
export class SessionEnded extends Error {
  constructor() {
    super('session_ended');
    this.name = 'SessionEnded';
  }
}

/**
 * Sends a message. One query reads everything the checks need as it is now (the session when a
 * socket sends, the sender, the room, cover, mute, watched words, an earlier try); the policy, mute,
 * cover and watched words are applied; then ONE statement writes it, applying the flood limit and
 * ignoring a duplicate client id (with any alerts in the same transaction), BEFORE anyone is told.
 * Only then is it broadcast (visible) or put in the moderation queue (held). A retry with the same
 * client id returns the stored message and sends nothing twice.
 * @throws SessionEnded / HttpError 404 / PolicyDenied / ChatRefusal.
 */
export async function sendMessage(
  deps: ChatDeps,
  who: { userId: string; sid?: string },
  input: { roomId: string; clientId: string; body: string },
  now: Date,
): Promise<SendOutcome> {
  const { db } = deps;
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  if (body.length === 0) throw new ChatRefusal('empty');
  if (body.length > deps.config.chat.maxLength) throw new ChatRefusal('too_long');
  const ctx = await loadSendContext(db, {
    userId: who.userId,
    roomId: input.roomId,
    clientId: input.clientId,
    sid: who.sid,
  });
  const actor = ctx.sender;
  if (!ctx.sessionLive || !actor || !isActive(actor)) throw new SessionEnded();
  // Sending counts as activity; not awaited, so the send's two round trips stay two.
  if (who.sid && ctx.sessionExpires)
    keepSessionAlive(db, who.sid, ctx.sessionExpires, deps.config.sessionIdleMs, now.getTime());
  const room = ctx.room;
  if (!room || room.kind !== 'living_room') throw notFound();
  authorize(canActInRoom(actor, 'enter', room, now));
  const cover = coverOf(deps.config, room, ctx.onDuty, now);
  authorize(
    canPostMessage(
      actor,
      room,
      { mutedUntil: ctx.mutedUntil, readOnlyNow: cover.coverActive && cover.cover === 'read_only' },
      now,
    ),
  );
  const verdict = evaluateWatchedWords(body, ctx.rules);
  // Only an alert asks who is online (after the commit); other messages keep their two round trips.
  const alerted = verdict.alerts.length > 0;
  const told = async () =>
    alerted
      ? whoWasTold(
          deps.realtime,
          room.subnetId,
          ctx.onDuty.map((d) => d.userId),
          actor.id,
        )
      : null;
  if (ctx.retryOf) return retried(ctx.retryOf, room, await told());
  // Staff are never held (the policy's rule): neither by a watched word nor by the cover rule.
  const unheld = canPostWithoutModeration(actor, room, now).allowed;
  const heldReason = unheld
    ? null
    : verdict.hold
      ? heldReasonOf(verdict.hold)
      : coverHoldsPosts(cover)
        ? COVER_HOLD
        : null;
  const status = heldReason ? 'held' : 'visible';
  const written = await insertMessageGuarded(
    db,
    { roomId: room.id, authorId: actor.id, authorRole: actor.role, clientId: input.clientId, body, status, heldReason },
    { max: deps.config.chat.floodMessages, seconds: deps.config.chat.floodSeconds },
    { subnetId: room.subnetId, patterns: verdict.alerts.map((a) => a.pattern) },
  );
  if (written === 'duplicate') {
    const stored = await findMessageByClientId(db, actor.id, input.clientId);
    if (!stored) throw new ChatRefusal('not_available');
    return retried(stored, room, await told());
  }
  if ('retryAfter' in written) throw new ChatRefusal('rate_limited', written.retryAfter);
  const pub = toPublic({
    id: written.id,
    roomId: room.id,
    authorNickname: actor.nickname,
    authorRole: actor.role,
    body,
    status,
    createdAt: written.createdAt,
  });
  announce(deps, room, pub, alerted);
  const whom = await told();
  return { message: pub, held: status === 'held', support: whom && supportText(room, whom), told: whom };
}

function retried(stored: MessageRow, room: RoomDetail, told: Told | null): SendOutcome {
  const whom = stored.status === 'removed' ? null : told;
  return {
    message: toPublic(stored),
    held: stored.status === 'held',
    support: whom && supportText(room, whom),
    told: whom,
  };
}

function announce(deps: ChatDeps, room: RoomDetail, message: PublicMessage, alerted: boolean): void {
  // Called once per newly written message (never for a retry), after its one write statement.
  messagePersisted(message.status === 'held' ? 'held' : 'visible');
  if (message.status === 'visible') deps.realtime.emitToRoom(room.id, 'message:new', message);
  else announceQueueChange(deps.db, deps.realtime, room, 'added');
  // Staff on duty and every staff member of the subnet with an open page, whatever their duty.
  if (alerted) announceAlert(deps.realtime, room, { messageId: message.id, nickname: message.nickname });
}

/** What an HttpError's status means to the browser, in the refusal vocabulary. */
function httpRefusal(status: HttpError['status']): RefusalCode {
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthenticated';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status === 403 ? 'forbidden' : 'invalid';
}

/** Maps what a chat call threw to a socket error code of the refusal vocabulary (never a message or a stack). */
export function errorCode(e: unknown): RefusalCode {
  if (e instanceof ChatRefusal) return e.code;
  if (e instanceof HttpError) return httpRefusal(e.status);
  if (e instanceof PolicyDenied)
    return e.hide
      ? 'not_found'
      : e.reason === 'muted'
        ? 'muted'
        : e.reason === 'read_only_now'
          ? 'read_only'
          : 'forbidden';
  // PostgreSQL down, restarting, read-only (a failover) or too slow: the client keeps the message
  // and sends it again with the same client id.
  if (isDatabaseUnavailable(e)) return 'unavailable';
  return 'internal';
}
