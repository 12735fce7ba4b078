import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  pid: number;
  /** Output kept for the report when the process fails. */
  output: () => string;
}

/**
 * Starts a process in its own process group (so that `npm start` and what it runs are stopped
 * together) and waits until `readyUrl` answers 200.
 */
export async function startProcess(
  cmd: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; readyUrl: string; timeoutMs?: number },
): Promise<Started & { readyMs: number }> {
  const t0 = performance.now();
  const child = spawn(cmd, args, { env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const started: Started = { child, pid: child.pid ?? 0, output: () => out };
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    // The last line it wrote leads: a command's failure is reported as one line (src/cli/run-command.ts).
    if (child.exitCode !== null)
      throw new Error(
        `${cmd} ${args.join(' ')} exited (${child.exitCode}): ${out.trim().split('\n').at(-1) ?? ''}\n${out}`,
      );
    try {
      const res = await fetch(opts.readyUrl, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return { ...started, readyMs: performance.now() - t0 };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await stopProcess(started);
  throw new Error(`${cmd} was not ready within the time limit:\n${out}`);
}

/** SIGTERM to the process group we started; SIGKILL after 15 s. */
export async function stopProcess(p: Started): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  try {
    process.kill(-p.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process in bytes (Linux /proc). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A value that must be there (an index within bounds); throws with `what` otherwise. */
export function must<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The parent pid of a process (Linux /proc). */
async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The pid of the PostgreSQL server (postmaster) running on a data directory, from its postmaster.pid. */
export async function postmasterOf(pgDataDir: string): Promise<number> {
  return Number((await readFile(`${pgDataDir}/postmaster.pid`, 'utf8')).split('\n')[0]);
}

/**
 * CPU seconds used so far by each PostgreSQL server process, by pid: those of the server
 * `postmaster` and its backends when given (other PostgreSQL servers on a shared machine, such as
 * test databases, are not the benchmark's), else every one on the machine.
 */
export async function postgresCpu(postmaster?: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if ((await readFile(`/proc/${entry}/comm`, 'utf8')).trim() !== 'postgres') continue;
      if (postmaster !== undefined && Number(entry) !== postmaster && (await parentOf(Number(entry))) !== postmaster)
        continue;
      out.set(Number(entry), await cpuSecondsOf(Number(entry)));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU seconds PostgreSQL used between two snapshots (a process that ended meanwhile is not counted). */
export function postgresCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}
