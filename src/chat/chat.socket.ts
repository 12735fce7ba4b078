import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import type { Logger } from '../log.js';
import type { Db } from '../db/knex.js';
import { findLiveSessionExpiry, findSessionUser, listLiveSessionIds } from '../auth/auth.service.js';
import type { SessionUser } from '../people/person.js';
import { keepSessionAlive } from '../auth/session.js';
import { recordAudit } from '../audit/audit.service.js';
import { badgeFor } from '../people/labels.js';
import { canActInSubnet, isActive, PolicyDenied } from '../policy/index.js';
import { dutySubnetsOf } from '../safety/duty.service.js';
import { recordRoomVisit } from '../building/building.service.js';
import {
  JoinRoom,
  LeaveRoom,
  LoadHistory,
  MuteAuthor,
  RemoveMessage,
  ReportMessage,
  SendMessage,
} from './chat.schemas.js';
import {
  ChatRefusal,
  SessionEnded,
  enterLivingRoom,
  errorCode,
  roomHistory,
  roomPage,
  sendMessage,
  type ChatDeps,
} from './chat.service.js';
import { messageForModeration, muteAuthor, removeMessage, reportMessage } from './message-moderation.service.js';
import { sessionOf } from '../realtime/socket-server.js';
import { socketRooms, type SocketData } from '../realtime/realtime.js';
import { isDatabaseUnavailable } from '../db/connection.js';

const EVENT_CAP = 100;
const EVENT_WINDOW_MS = 10_000;

type Ack = (reply: { ok: true; data: unknown } | { ok: false; error: string; retryAfter?: number }) => void;

type SocketDeps = ChatDeps & { logger: Logger; sessionAbsoluteMs: number; sweepMs?: number };
type SocketMiddleware = Parameters<Server['use']>[0];

/** Registers a living-room event: validated, answered through its ack, errors turned into codes. */
interface EventBinder {
  /** An event handler that reloads the person first (their session checked, memberships as they are now). */
  on<S extends z.ZodType>(
    event: string,
    schema: S,
    handler: (actor: SessionUser, data: z.infer<S>) => Promise<unknown>,
  ): void;
  /**
   * An event handler that checks the person itself, within its own query (message:send, the hot
   * path), and throws SessionEnded when their session or account has ended.
   */
  onChecked<S extends z.ZodType>(event: string, schema: S, handler: (data: z.infer<S>) => Promise<unknown>): void;
}

/**
 * The living room's socket events. Every event is validated (zod) and answered through its ack;
 * every event reloads the person (and checks their session still exists), so a suspension, a
 * cohort change or a logout applies to the very next event.
 */
export function registerChatHandlers(io: Server, deps: SocketDeps): void {
  io.use(authenticateSocket(deps.db));
  sweepEndedSessions(io, deps);
  io.on('connection', (socket) => onConnection(deps, socket));
}

async function currentActor(deps: SocketDeps, socket: Socket): Promise<SessionUser | null> {
  const { db } = deps;
  const data = socket.data as SocketData & { createdAt: number };
  const [user, live] = await Promise.all([findSessionUser(db, data.userId), findLiveSessionExpiry(db, data.sid)]);
  if (!user || !live || !isActive(user)) return null;
  keepSessionAlive(db, data.sid, live, deps.config.sessionIdleMs); // a chat action is activity
  return user;
}

/** The handshake: a live session of an active person, whose socket joins its own rooms (user, session, staff, duty). */
function authenticateSocket(db: Db): SocketMiddleware {
  return (socket, next) => {
    const s = sessionOf(socket.request);
    if (!s) return next(new Error('unauthenticated'));
    Promise.all([findSessionUser(db, s.userId), dutySubnetsOf(db, s.userId)])
      .then(([user, onDuty]) => {
        if (!user || !isActive(user)) return next(new Error('unauthenticated'));
        const now = new Date();
        const staffOf = user.memberships
          .map((m) => m.subnetId)
          .filter((id) => canActInSubnet(user, 'moderate_subnet', { id }, now).allowed);
        socket.data = {
          userId: user.id,
          sid: s.sid,
          createdAt: s.createdAt,
          nickname: user.nickname,
          badge: badgeFor(user.role),
          staffOf,
        } satisfies SocketData & { createdAt: number };
        const duty = onDuty.filter((id) => staffOf.includes(id));
        void socket.join([
          socketRooms.user(user.id),
          socketRooms.session(s.sid),
          ...staffOf.map(socketRooms.staff),
          ...duty.map(socketRooms.duty),
        ]);
        next();
      })
      // The client sees a code, never the database's words; it retries by itself.
      .catch((e: unknown) => next(new Error(isDatabaseUnavailable(e) ? 'unavailable' : 'internal')));
  };
}

// Idle and absolute timeouts for open sockets: a socket whose session has ended (idle expiry,
// logout elsewhere, absolute lifetime) is disconnected even if it sends nothing.
function sweepEndedSessions(io: Server, deps: SocketDeps): void {
  const sweep = setInterval(() => {
    const sockets = [...io.of('/').sockets.values()];
    if (sockets.length === 0) return;
    const sids = [...new Set(sockets.map((s) => (s.data as SocketData).sid))];
    listLiveSessionIds(deps.db, sids)
      .then((live) => {
        const alive = new Set(live);
        for (const s of sockets) {
          const data = s.data as SocketData & { createdAt: number };
          if (!alive.has(data.sid) || Date.now() - data.createdAt > deps.sessionAbsoluteMs) s.disconnect(true);
        }
      })
      .catch(() => undefined);
  }, deps.sweepMs ?? 60_000);
  sweep.unref();
  io.engine.on('close', () => clearInterval(sweep));
}

/** One connected socket: its flood limit, its events, and its presence given up when it goes. */
function onConnection(deps: SocketDeps, socket: Socket): void {
  const joined = new Map<string, string>(); // roomId -> subnetId
  limitEventRate(deps.db, socket);
  const events = eventBinder(deps, socket);
  registerRoomEvents(deps, socket, events, joined);
  registerMessageEvents(deps, socket, events);
  socket.on('disconnect', (reason) => {
    for (const [roomId, subnetId] of joined) void refreshPresence(deps, roomId, subnetId).catch(() => undefined);
    // They were reading live until now: their last visit, for the lobby's "new since" (issue 15).
    // Not when the server itself is going: its database is closing, and the browser reconnects.
    if (reason === 'server shutting down') return;
    const { userId } = socket.data as SocketData;
    for (const roomId of joined.keys()) void recordRoomVisit(deps.db, userId, roomId).catch(() => undefined);
  });
}

/** More than EVENT_CAP events in EVENT_WINDOW_MS: audited as a flood and disconnected. */
function limitEventRate(db: Db, socket: Socket): void {
  let events: number[] = [];
  socket.use((_packet, next) => {
    const now = Date.now();
    events = events.filter((t) => now - t < EVENT_WINDOW_MS);
    events.push(now);
    if (events.length > EVENT_CAP) {
      void recordAudit(
        db,
        { actorId: (socket.data as SocketData).userId, ip: socket.handshake.address },
        { action: 'socket.flood', outcome: 'throttled' },
      ).catch(() => undefined);
      socket.disconnect(true);
      return;
    }
    next();
  });
}

const refreshPresence = async (deps: SocketDeps, roomId: string, subnetId: string) => {
  deps.realtime.emitToRoom(roomId, 'presence', await deps.realtime.presence(roomId, subnetId));
  // The staff home's "rooms with people in them now" (issue 15): no names, only that it changed.
  deps.realtime.emitToStaff(subnetId, 'workspace:changed', { subnetId });
};

function eventBinder(deps: SocketDeps, socket: Socket): EventBinder {
  const endSession = (reply: Ack) => {
    reply({ ok: false, error: 'unauthenticated' });
    socket.disconnect(true);
  };

  function on<S extends z.ZodType>(
    event: string,
    schema: S,
    handler: (actor: SessionUser, data: z.infer<S>) => Promise<unknown>,
  ): void {
    onChecked(event, schema, async (data) => {
      const actor = await currentActor(deps, socket);
      if (!actor) throw new SessionEnded();
      return handler(actor, data);
    });
  }

  function onChecked<S extends z.ZodType>(
    event: string,
    schema: S,
    handler: (data: z.infer<S>) => Promise<unknown>,
  ): void {
    socket.on(event, async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: 'invalid' });
      try {
        if (Date.now() - (socket.data as SocketData & { createdAt: number }).createdAt > deps.sessionAbsoluteMs)
          throw new SessionEnded();
        reply({ ok: true, data: await handler(parsed.data) });
      } catch (e) {
        if (e instanceof SessionEnded) return endSession(reply);
        const error = errorCode(e);
        if (e instanceof PolicyDenied) {
          await recordAudit(
            deps.db,
            { actorId: (socket.data as SocketData).userId, ip: socket.handshake.address },
            { action: `socket.${event}`, outcome: 'denied', reason: e.reason },
          ).catch(() => undefined);
        } else if (error === 'internal') {
          deps.logger.error('socket event failed', {
            event,
            error: e instanceof Error ? e.message.slice(0, 200) : 'unknown',
          });
        }
        reply({
          ok: false,
          error,
          ...(e instanceof ChatRefusal && e.retryAfter ? { retryAfter: e.retryAfter } : {}),
        });
      }
    });
  }

  return { on, onChecked };
}

/** Joining and leaving a living room, and reading further back in it. */
function registerRoomEvents(deps: SocketDeps, socket: Socket, { on }: EventBinder, joined: Map<string, string>): void {
  const { db } = deps;
  on('room:join', JoinRoom, async (actor, { roomId, afterId }) => {
    const room = await enterLivingRoom(db, actor, roomId, new Date());
    await socket.join(socketRooms.room(room.id));
    joined.set(room.id, room.subnetId);
    const [{ history, held }, presence] = await Promise.all([
      roomPage(db, room.id, actor.id, { afterId }),
      deps.realtime.presence(room.id, room.subnetId),
    ]);
    deps.realtime.emitToRoom(room.id, 'presence', presence);
    deps.realtime.emitToStaff(room.subnetId, 'workspace:changed', { subnetId: room.subnetId }); // the staff home (issue 15)
    return { roomId: room.id, ...history, held, presence, crisisContacts: room.crisisContacts };
  });

  on('room:leave', LeaveRoom, async (actor, { roomId }) => {
    const subnetId = joined.get(roomId);
    await socket.leave(socketRooms.room(roomId));
    joined.delete(roomId);
    // Read live until now: that is their last visit (issue 15).
    if (subnetId) await Promise.all([refreshPresence(deps, roomId, subnetId), recordRoomVisit(db, actor.id, roomId)]);
    return null;
  });

  on('message:history', LoadHistory, async (actor, { roomId, beforeId }) => {
    const room = await enterLivingRoom(db, actor, roomId, new Date());
    return roomHistory(db, room.id, { beforeId });
  });
}

/** Sending a message, and moderating or reporting one. */
function registerMessageEvents(deps: SocketDeps, socket: Socket, { on, onChecked }: EventBinder): void {
  const { db } = deps;
  // The hot path: the sender, their session and the room are read in the message's own query.
  onChecked('message:send', SendMessage, async (input) => {
    const { userId, sid } = socket.data as SocketData;
    return sendMessage(deps, { userId, sid }, input, new Date());
  });

  on('message:remove', RemoveMessage, async (actor, { messageId, reason }) => {
    const m = await messageForModeration(db, actor, messageId, new Date());
    return { removed: await removeMessage(deps, { actorId: actor.id, ip: socket.handshake.address }, m, reason) };
  });

  on('member:mute', MuteAuthor, async (actor, { messageId, minutes, reason }) => {
    const now = new Date();
    const m = await messageForModeration(db, actor, messageId, now);
    return {
      until: (
        await muteAuthor(deps, { actorId: actor.id, ip: socket.handshake.address }, m, minutes, reason, now)
      ).toISOString(),
    };
  });

  on('message:report', ReportMessage, async (actor, { messageId, reason }) => {
    await reportMessage(
      deps,
      actor,
      { actorId: actor.id, ip: socket.handshake.address },
      messageId,
      reason,
      new Date(),
    );
    return null;
  });
}
