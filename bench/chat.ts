import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { must, percentile, round } from './processes.js';

type Reply = { ok: true; data: unknown } | { ok: false; error: string };

/** Opens authenticated websocket connections, `concurrency` handshakes at a time. */
export async function connectAll(base: string, origin: string, cookies: string[], concurrency = 50): Promise<Socket[]> {
  const sockets: Socket[] = new Array(cookies.length);
  let next = 0;
  async function worker() {
    while (next < cookies.length) {
      const i = next++;
      const s = io(base, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { Cookie: must(cookies[i]), Origin: origin },
      });
      await new Promise<void>((resolve, reject) => {
        s.once('connect', () => resolve());
        s.once('connect_error', (e) => reject(new Error(`socket ${i} could not connect: ${e.message}`)));
      });
      sockets[i] = s;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sockets;
}

export function closeAll(sockets: Socket[]): void {
  for (const s of sockets) s?.disconnect();
}

function ask(s: Socket, event: string, payload: unknown): Promise<Reply> {
  return s.timeout(30_000).emitWithAck(event, payload) as Promise<Reply>;
}

/** Joins each socket to its room (`rooms[i]` for socket i). */
export async function joinRooms(sockets: Socket[], rooms: string[], concurrency = 20): Promise<void> {
  let next = 0;
  async function worker() {
    while (next < sockets.length) {
      const i = next++;
      const r = await ask(must(sockets[i]), 'room:join', { roomId: rooms[i] });
      if (!r.ok) throw new Error(`join refused: ${r.error}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** A message number as letters: digits in a message could look like a phone number and be held. */
function letters(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

export interface LoadResult {
  targetRate: number;
  seconds: number;
  sent: number;
  acked: number;
  refused: Record<string, number>;
  /** Persisted messages per second actually achieved (acknowledged / duration). */
  persistedPerSecond: number;
  expectedDeliveries: number;
  deliveries: number;
  deliveryMs: { p50: number; p95: number; p99: number; max: number };
  ackMs: { p50: number; p99: number };
  /** CPU time per acknowledged message: the app process, PostgreSQL, this load generator. */
  cpuMsPerMessage?: { app: number; postgres: number; loadGenerator: number };
}

/**
 * Sends `rate` messages a second in total, spread evenly over the rooms; within a room the sender
 * rotates over its members. Measures send → arrival at every other socket in the room (the
 * end-to-end delivery latency) and send → acknowledgement (written to PostgreSQL).
 */
export async function chatLoad(
  groups: { roomId: string; sockets: Socket[] }[],
  rate: number,
  seconds: number,
): Promise<LoadResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const acks: number[] = [];
  const refused: Record<string, number> = {};
  let deliveries = 0;
  let expected = 0;
  let sent = 0;
  let acked = 0;
  const listeners: [Socket, (m: { body: string }) => void][] = [];
  const tag = randomUUID().slice(0, 4).replace(/\d/g, 'x');
  for (const g of groups) {
    for (const s of g.sockets) {
      const fn = (m: { body: string }) => {
        const t = sentAt.get(m.body);
        if (t === undefined) return;
        latencies.push(performance.now() - t);
        deliveries++;
      };
      s.on('message:new', fn);
      listeners.push([s, fn]);
    }
  }
  const pending: Promise<void>[] = [];
  const perTickMs = 5;
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) {
        const n = sent++;
        const g = must(groups[n % groups.length]);
        const turn = Math.floor(n / groups.length);
        const sender = must(g.sockets[turn % g.sockets.length]);
        const body = `bench ${tag} ${letters(n)} checking in`;
        const start = performance.now();
        sentAt.set(body, start);
        expected += g.sockets.length;
        pending.push(
          ask(sender, 'message:send', { roomId: g.roomId, clientId: randomUUID(), body }).then(
            (r) => {
              if (r.ok) {
                acked++;
                acks.push(performance.now() - start);
              } else refused[r.error] = (refused[r.error] ?? 0) + 1;
            },
            () => {
              refused.timeout = (refused.timeout ?? 0) + 1;
            },
          ),
        );
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, perTickMs);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  // Let the last broadcasts arrive.
  const settle = Date.now() + 5000;
  while (deliveries < expected && Date.now() < settle) await new Promise((r) => setTimeout(r, 20));
  for (const [s, fn] of listeners) s.off('message:new', fn);
  latencies.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return {
    targetRate: rate,
    seconds: round(elapsed, 2),
    sent,
    acked,
    refused,
    persistedPerSecond: round(acked / elapsed, 0),
    expectedDeliveries: expected,
    deliveries,
    deliveryMs: {
      p50: round(percentile(latencies, 50), 2),
      p95: round(percentile(latencies, 95), 2),
      p99: round(percentile(latencies, 99), 2),
      max: round(latencies.at(-1) ?? NaN, 2),
    },
    ackMs: { p50: round(percentile(acks, 50), 2), p99: round(percentile(acks, 99), 2) },
  };
}

/** p50/p95/p99 of loading an older page of history (the "load older messages" event); readers take turns. */
export async function historyLatency(
  readers: Socket[],
  roomId: string,
  ids: { min: number; max: number },
  samples: number,
): Promise<{ samples: number; p50: number; p95: number; p99: number; messagesPerPage: number }> {
  const times: number[] = [];
  let perPage = 0;
  for (let i = 0; i < samples; i++) {
    const beforeId = ids.min + 100 + Math.floor(Math.random() * (ids.max - ids.min - 100));
    const t = performance.now();
    const r = await ask(must(readers[i % readers.length]), 'message:history', { roomId, beforeId });
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(`history refused: ${r.error}`);
    perPage = (r.data as { messages: unknown[] }).messages.length;
  }
  times.sort((a, b) => a - b);
  return {
    samples,
    p50: round(percentile(times, 50), 2),
    p95: round(percentile(times, 95), 2),
    p99: round(percentile(times, 99), 2),
    messagesPerPage: perPage,
  };
}
