import autocannon from 'autocannon';
import { cpuSecondsOf, median, postgresCpu, postgresCpuSince, round } from './processes.js';
import type { Profile } from './profiles.js';

export interface PageResult {
  name: string;
  url: string;
  /** Median over the runs. */
  rps: number;
  p99Ms: number;
  bytesPerPage: number;
  runs: { rps: number; p99Ms: number; non2xx: number; errors: number }[];
  /** CPU time per request of the server process and of PostgreSQL (all runs). */
  cpuMsPerRequest: { server: number; postgres: number };
}

function once(
  url: string,
  cookie: string | undefined,
  connections: number,
  seconds: number,
): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, headers: cookie ? { cookie } : {} });
}

/** A page to load: its URL, the session cookie to send, and the processes whose CPU it costs. */
export interface PageTarget {
  name: string;
  url: string;
  cookie?: string;
  /** The process serving it (its CPU per request is reported). */
  serverPid?: number;
  /** The PostgreSQL server it reads (its CPU and its backends'). */
  postmaster?: number;
}

/**
 * Loads pages with autocannon: each is fetched once (it must answer 200) and warmed up, then
 * `runs` rounds, each giving every page one run in turn, so that all pages (and the floors among
 * them) share whatever else the machine is doing in each round: on a shared machine, load that
 * rises or falls over the phase would otherwise favour the pages measured when it was low. Per
 * page: the medians of requests per second and p99 latency. Any non-2xx answer or error is fatal.
 */
export async function measurePages(targets: PageTarget[], profile: Profile): Promise<PageResult[]> {
  const { connections, runs, seconds } = profile.pages;
  const bytes = new Map<string, number>();
  for (const t of targets) {
    const page = await fetch(t.url, { headers: t.cookie ? { cookie: t.cookie } : {}, redirect: 'manual' });
    if (page.status !== 200) throw new Error(`${t.name}: ${t.url} answered ${page.status}, not 200`);
    bytes.set(t.name, (await page.arrayBuffer()).byteLength);
    await once(t.url, t.cookie, connections, Math.min(2, seconds));
  }
  const results = new Map(targets.map((t) => [t.name, [] as PageResult['runs']]));
  const cpu = new Map(targets.map((t) => [t.name, { server: 0, postgres: 0, requests: 0 }]));
  for (let i = 0; i < runs; i++) {
    for (const t of targets) {
      const before = { server: t.serverPid ? await cpuSecondsOf(t.serverPid) : 0, pg: await postgresCpu(t.postmaster) };
      const r = await once(t.url, t.cookie, connections, seconds);
      const c = cpu.get(t.name) ?? { server: 0, postgres: 0, requests: 0 };
      c.server += t.serverPid ? (await cpuSecondsOf(t.serverPid)) - before.server : 0;
      c.postgres += postgresCpuSince(before.pg, await postgresCpu(t.postmaster));
      c.requests += r.requests.total;
      results.get(t.name)?.push({
        rps: round(r.requests.average, 0),
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
      });
      if (r.non2xx > 0 || r.errors + r.timeouts > 0)
        throw new Error(`${t.name}: ${r.non2xx} non-2xx answers and ${r.errors + r.timeouts} errors`);
    }
  }
  return targets.map((t) => {
    const c = cpu.get(t.name) ?? { server: 0, postgres: 0, requests: 0 };
    const per = (s: number) => round((s * 1000) / Math.max(1, c.requests), 3);
    const cpuMsPerRequest = { server: per(c.server), postgres: per(c.postgres) };
    const list = results.get(t.name) ?? [];
    process.stdout.write(
      `  ${t.name}: ${list.map((r) => `${r.rps} req/s p99 ${r.p99Ms} ms`).join(' | ')}; CPU ms per request ${JSON.stringify(cpuMsPerRequest)}\n`,
    );
    return {
      name: t.name,
      url: t.url,
      rps: median(list.map((r) => r.rps)),
      p99Ms: median(list.map((r) => r.p99Ms)),
      bytesPerPage: bytes.get(t.name) ?? 0,
      runs: list,
      cpuMsPerRequest,
    };
  });
}
