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

/**
 * Loads a page with autocannon: a short warm-up, then `runs` runs; the medians of requests per
 * second and p99 latency. A run with any non-2xx answer or error makes the result invalid.
 */
export async function measurePage(
  name: string,
  url: string,
  cookie: string | undefined,
  profile: Profile,
  serverPid?: number,
  postmaster?: number,
): Promise<PageResult> {
  const { connections, runs, seconds } = profile.pages;
  const page = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  if (page.status !== 200) throw new Error(`${name}: ${url} answered ${page.status}, not 200`);
  const bytesPerPage = (await page.arrayBuffer()).byteLength;
  await once(url, cookie, connections, Math.min(2, seconds));
  const results: PageResult['runs'] = [];
  let cpu = { server: 0, postgres: 0, requests: 0 };
  for (let i = 0; i < runs; i++) {
    const before = { server: serverPid ? await cpuSecondsOf(serverPid) : 0, pg: await postgresCpu(postmaster) };
    const r = await once(url, cookie, connections, seconds);
    cpu = {
      server: cpu.server + (serverPid ? (await cpuSecondsOf(serverPid)) - before.server : 0),
      postgres: cpu.postgres + postgresCpuSince(before.pg, await postgresCpu(postmaster)),
      requests: cpu.requests + r.requests.total,
    };
    results.push({
      rps: round(r.requests.average, 0),
      p99Ms: r.latency.p99,
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
    });
    if (r.non2xx > 0 || r.errors + r.timeouts > 0)
      throw new Error(`${name}: ${r.non2xx} non-2xx answers and ${r.errors + r.timeouts} errors`);
  }
  const per = (s: number) => round((s * 1000) / Math.max(1, cpu.requests), 3);
  const cpuMsPerRequest = { server: per(cpu.server), postgres: per(cpu.postgres) };
  process.stdout.write(
    `  ${name}: ${results.map((r) => `${r.rps} req/s p99 ${r.p99Ms} ms`).join(' | ')}; CPU ms per request ${JSON.stringify(cpuMsPerRequest)}\n`,
  );
  return {
    name,
    url,
    rps: median(results.map((r) => r.rps)),
    p99Ms: median(results.map((r) => r.p99Ms)),
    bytesPerPage,
    runs: results,
    cpuMsPerRequest,
  };
}
