import type { Socket } from 'socket.io';
import type { SocketData } from './realtime.js';

/** The connect_error message of a refused handshake (the client shows it; tests assert it). */
export const TOO_MANY_CONNECTIONS = 'too_many_connections';

/**
 * A Socket.IO middleware capping the sockets open at once per session and per person, so one
 * cookie cannot hold hundreds of connections (each costs memory and a share of every broadcast).
 * A handshake over a cap is refused with `too_many_connections`; sockets already open are never
 * dropped. It must run after the middleware that sets `socket.data` (who and which session).
 *
 * Counted in this process only. Counting across processes would need the adapter's fetchSockets
 * (a round trip through PostgreSQL to every process) on every handshake; behind N processes a
 * session can therefore hold up to N times the cap, which still bounds it.
 */
export function limitConnections(limits: {
  perSession: number;
  perPerson: number;
}): (socket: Socket, next: (err?: Error) => void) => void {
  const bySession = new Map<string, number>();
  const byPerson = new Map<string, number>();
  return (socket, next) => {
    const { userId, sid } = socket.data as SocketData;
    // A client that went away during the handshake never connects, and its close has been and gone.
    if (socket.conn.readyState !== 'open') return next();
    if ((bySession.get(sid) ?? 0) >= limits.perSession || (byPerson.get(userId) ?? 0) >= limits.perPerson)
      return next(new Error(TOO_MANY_CONNECTIONS));
    // Counted now, synchronously: parallel handshakes cannot all pass the check before any is counted.
    add(bySession, sid, 1);
    add(byPerson, userId, 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      add(bySession, sid, -1);
      add(byPerson, userId, -1);
    };
    // Whichever comes first: the socket's disconnect, or its connection closing before it connected.
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  };
}

function add(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
