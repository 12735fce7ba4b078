import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, round, startProcess, stopProcess } from './processes.js';

/**
 * `npm start` on an empty data directory, to a 200 on /healthz: PostgreSQL's initdb, the
 * migrations, the demo people and the demo's twelve weeks of generated activity (seeds/activity),
 * as a newcomer's first start does. The directory is thrown away afterwards.
 */
export async function firstStartPhase(say: (line: string) => void): Promise<{ seconds: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sharon-first-start-'));
  try {
    const port = await freePort();
    const app = await startProcess('npm', ['start'], {
      env: {
        ...process.env,
        NODE_ENV: 'development',
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_PG_PORT: String(await freePort()),
        LOG_LEVEL: 'warn',
        DEMO_ACTIVITY: 'on',
      },
      readyUrl: `http://127.0.0.1:${port}/healthz`,
      timeoutMs: 300_000,
    });
    const seconds = round(app.readyMs / 1000, 2);
    await stopProcess(app);
    await released(dataDir);
    say(`first start (empty data directory, demo activity included): ${seconds} s`);
    return { seconds };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The embedded PostgreSQL may still be shutting down after `npm start` exits: wait for it. */
async function released(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  const end = Date.now() + 60_000;
  while (existsSync(pidFile) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}
