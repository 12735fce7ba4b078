import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { runProcess } from '../../src/backup/processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <args>` in the project as `npm run` would, with only the environment given (plus HOME). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the real restic against a repository; throws with its stderr unless it exits 0. */
export async function resticCli(env: NodeJS.ProcessEnv, args: string[], stdin?: string): Promise<string> {
  if (stdin === undefined) {
    const f = await runProcess('restic', args, { env: { ...process.env, ...env } });
    if (f.code !== 0) throw new Error(`restic ${args[0]} failed: ${f.stderr}`);
    return f.stdout;
  }
  return new Promise((resolve, reject) => {
    const child = spawn('restic', args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`restic failed: ${err}`))));
    child.stdin.end(stdin);
  });
}

/** An empty database of its own, to restore into. */
export async function createEmptyDatabase(): Promise<{ url: string; db: Db; drop(): Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `sharon_restic_${randomBytes(4).toString('hex')}`;
  const admin = createDb(adminUrl, 1);
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const db = createDb(u.toString(), 2);
  return {
    url: u.toString(),
    db,
    async drop() {
      await db.destroy();
      const a = createDb(adminUrl, 1);
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

/** Row counts of every table in the public schema, and an md5 of every message's id and body in order. */
export async function fingerprint(db: Db): Promise<{ counts: Record<string, number>; messages: string }> {
  const tables: { table_name: string }[] = (
    await db.raw(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
  ).rows;
  const counts: Record<string, number> = {};
  for (const { table_name: t } of tables) counts[t] = Number((await db(t).count('* as n').first())?.n);
  const sum = await db.raw("SELECT md5(string_agg(id::text || ':' || body, ',' ORDER BY id)) AS m FROM messages");
  return { counts, messages: String(sum.rows[0].m) };
}

/** The stored size of the repository's data (`restic stats --mode raw-data`). */
export async function rawDataSize(env: NodeJS.ProcessEnv): Promise<number> {
  const out = await resticCli(env, ['stats', '--mode', 'raw-data', '--json']);
  return Number((JSON.parse(out) as { total_size: number }).total_size);
}

/** SHaRON's snapshots in the repository: time, tags and id. */
export async function snapshots(env: NodeJS.ProcessEnv, tag = 'sharon') {
  const out = await resticCli(env, ['snapshots', '--json', '--tag', tag]);
  return JSON.parse(out) as { id: string; short_id: string; time: string; tags: string[] }[];
}
