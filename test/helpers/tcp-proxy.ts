import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /**
   * Stops forwarding in both directions without closing anything: bytes wait in the kernel's
   * buffers and new connections are accepted but not connected onwards, as when a network path
   * stalls (packets dropped, not refused).
   */
  stall(): void;
  /** Forwards again: what waited is delivered, and waiting connections go through. */
  resume(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to a local port, which a fault test can stall. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let stalled = false;
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>();
  const waiting: (() => void)[] = [];

  const connectOnwards = (pair: { client: net.Socket; upstream?: net.Socket }) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    pair.upstream = upstream;
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
    const end = () => {
      pair.client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    upstream.on('error', end);
    upstream.on('close', end);
    pair.client.resume();
  };

  const server = net.createServer((client) => {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client };
    pairs.add(pair);
    client.pause();
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (stalled) waiting.push(() => connectOnwards(pair));
    else connectOnwards(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    stall() {
      stalled = true;
      for (const p of pairs) {
        // Unpipe so that nothing is read, and so nothing is forwarded.
        p.client.unpipe();
        p.upstream?.unpipe();
        p.client.pause();
        p.upstream?.pause();
      }
    },
    resume() {
      stalled = false;
      for (const p of pairs) {
        if (!p.upstream) continue;
        p.client.pipe(p.upstream);
        p.upstream.pipe(p.client);
      }
      for (const go of waiting.splice(0)) go();
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
