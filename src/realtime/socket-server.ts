import type http from 'node:http';
import type { RequestHandler } from 'express';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { Adapter, MessageType, type BroadcastOptions } from 'socket.io-adapter';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { watchListenConnection, type ListenConnection } from './listen-connection.js';
import { socketOpened } from '../metrics.js';

interface SessionRequest extends http.IncomingMessage {
  session?: { passport?: { user?: string }; createdAt?: number };
  sessionID?: string;
  _query?: Record<string, string>;
}

/**
 * Allowed browser origins for the handshake: PUBLIC_ORIGIN, or the host the page came from.
 * Browsers send no Origin on same-origin polling GETs; there Sec-Fetch-Site must say same-origin.
 * WebSocket upgrades always carry an Origin.
 */
function originAllowed(req: http.IncomingMessage, config: Config): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === 'same-origin';
  if (config.publicOrigin) return origin === new URL(config.publicOrigin).origin;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Socket.IO on the app's HTTP server. The handshake must come from our own origin and carry a
 * signed-in session cookie (else 401); the express-session middleware is shared, so there is no
 * token in a URL and no second login. With a pg pool, the Postgres adapter links app processes.
 */
export function createSocketServer(
  httpServer: http.Server,
  opts: { config: Config; session: RequestHandler; adapterPool?: pg.Pool; logger: Logger },
): Server {
  const { config } = opts;
  const io = new Server(httpServer, {
    serveClient: true,
    maxHttpBufferSize: Math.max(8 * 1024, config.chat.maxLength * 4 + 1024),
    allowRequest: (req, callback) => callback(null, originAllowed(req, config)),
    cors: undefined,
    pingInterval: 25_000,
    pingTimeout: 20_000,
  });
  io.on('connection', (socket) => socket.once('disconnect', socketOpened()));
  io.engine.use(opts.session);
  io.engine.use((req: SessionRequest, res: http.ServerResponse, next: (err?: unknown) => void) => {
    const isHandshake = req._query?.sid === undefined;
    if (!isHandshake || req.session?.passport?.user) return next();
    res.writeHead(401, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: 'unauthenticated' }));
  });
  if (opts.adapterPool) {
    const listen = watchListenConnection(opts.adapterPool, opts.logger);
    // Clients of this process missed other processes' messages while LISTEN was down: they
    // catch up from the database (by the last id they saw), as after a reconnect.
    listen.onResume(() => io.local.emit('room:resync'));
    io.adapter(
      localFirst(
        createAdapter(listen.pool, { errorHandler: throttledLog(opts.logger, 'socket adapter error') }),
        listen,
      ),
    );
  }
  return io;
}

/** Logs an error at most every 10 s with how many were left out (a database outage fails every publish). */
function throttledLog(logger: Logger, msg: string): (e: Error) => void {
  let last = 0;
  let suppressed = 0;
  return (e) => {
    const now = Date.now();
    if (now - last < 10_000) return void (suppressed += 1);
    logger.warn(msg, { code: (e as { code?: string }).code ?? 'none', suppressed });
    last = now;
    suppressed = 0;
  };
}

type AdapterFactory = ReturnType<typeof createAdapter>;
type ClusterInternals = { nodesMap: Map<string, number>; publish(message: { type: MessageType; data: unknown }): void };

/**
 * The Postgres adapter, delivering to this process's own sockets first. Upstream, a broadcast waits
 * for its NOTIFY round trip to PostgreSQL before delivering locally, even with no other process:
 * that was most of a message's delivery time (measured with `npm run bench`). Here local sockets
 * get it at once, and the NOTIFY goes out when other processes are known (every process sends a
 * heartbeat at least every 5 s) or while this one is young enough that it may not have heard them
 * yet (two heartbeat timeouts).
 */
const HEARD_EVERY_PEER_MS = 20_000;

function localFirst(factory: AdapterFactory, listen: ListenConnection): AdapterFactory {
  return function (nsp: unknown) {
    const adapter = factory(nsp);
    const born = Date.now();
    // Alone only if LISTEN has been up long enough to have heard any peer's heartbeat: while it is
    // down (or just back) peers may exist that this process cannot hear.
    const alone = (cluster: ClusterInternals) =>
      cluster.nodesMap.size === 0 &&
      listen.isUp() &&
      Date.now() - Math.max(born, listen.upSince()) > HEARD_EVERY_PEER_MS;
    adapter.broadcast = async (packet: unknown, opts: BroadcastOptions) => {
      Adapter.prototype.broadcast.call(adapter, packet, opts);
      const cluster = adapter as unknown as ClusterInternals;
      if (opts.flags?.local || alone(cluster)) return;
      cluster.publish({
        type: MessageType.BROADCAST,
        data: { packet, opts: { rooms: [...opts.rooms], except: [...(opts.except ?? [])], flags: opts.flags } },
      });
    };
    return adapter;
  };
}

/** The signed-in session behind a socket's handshake. */
export function sessionOf(req: http.IncomingMessage): { userId: string; sid: string; createdAt: number } | null {
  const r = req as SessionRequest;
  const userId = r.session?.passport?.user;
  if (!userId || !r.sessionID) return null;
  return { userId, sid: r.sessionID, createdAt: r.session?.createdAt ?? Date.now() };
}
