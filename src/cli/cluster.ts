import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase, sessionSecretFor } from '../db/open.js';
import { seedDemoIfEmpty } from '../../seeds/demo.js';
import { runCommand, type CommandScope } from './run-command.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HAPROXY_CFG = path.join(ROOT, 'deploy', 'haproxy.cfg');

export interface ClusterOptions {
  databaseUrl: string;
  sessionSecret: string;
  /** Where HAProxy listens (the address people use). */
  host: string;
  port: number;
  /** The two app processes' ports (on 127.0.0.1). */
  appPorts: [number, number];
  /** More environment for the app processes. */
  env?: NodeJS.ProcessEnv;
  /** Each app process's METRICS_PORT (two processes cannot share one); none: no metrics. */
  metricsPorts?: [number, number];
  onOutput?: (line: string) => void;
}

export interface Cluster {
  url: string;
  stop(): Promise<void>;
}

/** Is Debian's haproxy installed? */
export function haproxyAvailable(): boolean {
  return spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0;
}

/**
 * Two SHaRON processes on one database behind HAProxy (deploy/haproxy.cfg): the scale-out path on
 * one machine, without Docker. Sessions, rate limits, presence and chat fan-out all live in
 * PostgreSQL, so either process can serve anyone; HAProxy's cookie keeps Socket.IO's polling
 * fallback on one process.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
  };
  const watch = (name: string, child: ChildProcess) => {
    children.push(child);
    const out = (b: Buffer) => opts.onOutput?.(`[${name}] ${b.toString().trimEnd()}`);
    child.stdout?.on('data', out);
    child.stderr?.on('data', out);
  };
  try {
    opts.appPorts.forEach((port, i) => {
      watch(
        `app${i + 1}`,
        spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'server.ts')], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: {
            ...process.env,
            ...opts.env,
            DATABASE_URL: opts.databaseUrl,
            SESSION_SECRET: opts.sessionSecret,
            PORT: String(port),
            HOST: '127.0.0.1',
            TRUST_PROXY: '1',
            METRICS_PORT: opts.metricsPorts ? String(opts.metricsPorts[i]) : undefined,
          },
        }),
      );
    });
    await Promise.all(opts.appPorts.map((port) => healthy(`http://127.0.0.1:${port}/healthz`, children)));
    watch(
      'haproxy',
      spawn('haproxy', ['-f', HAPROXY_CFG, '-db'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          SHARON_BIND: `${opts.host}:${opts.port}`,
          SHARON_APP1: `127.0.0.1:${opts.appPorts[0]}`,
          SHARON_APP2: `127.0.0.1:${opts.appPorts[1]}`,
        },
      }),
    );
    const url = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${opts.port}`;
    await healthy(`${url}/healthz`, children);
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function healthy(url: string, children: ChildProcess[], timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`a cluster process exited (${dead.spawnfile}, code ${dead.exitCode})`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 in time`);
}

/** `npm run cluster`: PORT (HAProxy), PORT+1 and PORT+2 (the app processes), one database; until SIGINT or SIGTERM. */
async function main(scope: CommandScope): Promise<void> {
  const signalled = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  if (!haproxyAvailable())
    throw new Error("npm run cluster needs HAProxy: apt-get install haproxy (Debian) or your system's package.");
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  scope.defer(() => database.close());
  if (!config.isProduction)
    await seedDemoIfEmpty(database.db, config.demoPassword, config.uploads.dir, { activity: config.demoActivity });
  const cluster = await startCluster({
    databaseUrl: database.url,
    sessionSecret: await sessionSecretFor(config),
    host: config.host,
    port: config.port,
    appPorts: [config.port + 1, config.port + 2],
    // METRICS_PORT and the port after it, one per process (each binds METRICS_HOST).
    metricsPorts: config.metrics && [config.metrics.port, config.metrics.port + 1],
    env: { UPLOAD_DIR: config.uploads.dir },
    onOutput: (line) => process.stdout.write(`${line}\n`),
  });
  scope.defer(() => cluster.stop());
  process.stdout.write(
    `\n  SHaRON (two processes behind HAProxy) is running at http://localhost:${config.port}\n  App processes: 127.0.0.1:${config.port + 1} and 127.0.0.1:${config.port + 2}; the X-Served-By header names the one that answered.\n\n`,
  );
  await signalled;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await runCommand('cluster failed', main);
}
