import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// Every command's exit status tells the truth: 0 when it did its job, 1 with exactly one line on
// stderr (no stack, no object) when it did not. The real commands run as `npm run` runs them.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Nothing listens on port 1: the connection is refused at once.
const UNREACHABLE = 'postgres://x:y@127.0.0.1:1/none';
// Each spawned command starts tsx (a second or more on a busy machine); several run at once.
const SPAWNING = { timeout: 60_000 };

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let database: TestDatabase;
let emptyUrl: string;
let emptyName: string;
let dir: string;
let key: string;
let backupFile: string;
let backup: Outcome;

/** Runs `node --import tsx <args>` in the project with only the environment given (plus PATH, HOME). */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATA_DIR: path.join(dir, 'data'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Exit 1 and one line on stderr, saying what failed and why. */
function expectOneLineFailure(outcome: Outcome, line: RegExp): void {
  expect(outcome.code, outcome.stderr).toBe(1);
  expect(outcome.stderr.endsWith('\n'), outcome.stderr).toBe(true);
  expect(outcome.stderr.trimEnd().split('\n'), outcome.stderr).toHaveLength(1);
  expect(outcome.stderr).toMatch(line);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sharon-cli-test-'));
  database = await createTestDatabase();
  const adminUrl = inject('pgAdminUrl');
  emptyName = `sharon_empty_${randomBytes(4).toString('hex')}`;
  const admin = createDb(adminUrl, 1);
  await admin.raw(`CREATE DATABASE ${emptyName}`);
  await admin.destroy();
  const u = new URL(adminUrl);
  u.pathname = `/${emptyName}`;
  emptyUrl = u.toString();
  key = randomBytes(32).toString('base64');
  backupFile = path.join(dir, 'real.sbk');
  // The real backup the restore cases use, made by the command itself (its outcome is a test below).
  backup = await run(['src/cli/backup.ts', 'backup', backupFile], { DATABASE_URL: database.url, BACKUP_KEY: key });
});

afterAll(async () => {
  await database?.drop();
  const admin = createDb(inject('pgAdminUrl'), 1);
  await admin.raw(`DROP DATABASE IF EXISTS ${emptyName} WITH (FORCE)`);
  await admin.destroy();
  await rm(dir, { recursive: true, force: true });
});

describe('npm run backup and npm run restore', SPAWNING, () => {
  it('backup with a key writes an encrypted file and exits 0', async () => {
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toContain(`Backup written: ${backupFile}`);
    expect((await readFile(backupFile)).subarray(0, 9).toString()).toBe('SHARONBK1');
  });

  it('backup without BACKUP_KEY or BACKUP_KEY_FILE, restore with a wrong key, and restore into a database with data each exit 1 with one line', async () => {
    const [noKey, wrongKey, notEmpty] = await Promise.all([
      run(['src/cli/backup.ts', 'backup', path.join(dir, 'never.sbk')], { DATABASE_URL: database.url }),
      run(['src/cli/backup.ts', 'restore', backupFile], {
        DATABASE_URL: emptyUrl,
        BACKUP_KEY: randomBytes(32).toString('base64'),
      }),
      run(['src/cli/backup.ts', 'restore', backupFile], { DATABASE_URL: database.url, BACKUP_KEY: key }),
    ]);
    expectOneLineFailure(noKey, /^backup failed: Set BACKUP_KEY .* or BACKUP_KEY_FILE\.$/m);
    expectOneLineFailure(wrongKey, /^restore failed: The backup could not be decrypted: the key is wrong/);
    expectOneLineFailure(notEmpty, /^restore failed: The target database is not empty/);
    const empty = createDb(emptyUrl, 1);
    const tables = await empty.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
    await empty.destroy();
    expect(Number(tables.rows[0].n)).toBe(0);
  });
});

describe('npm run admin:create', SPAWNING, () => {
  it('creates an admin with a fresh username and exits 0', async () => {
    const username = `keeper${randomBytes(3).toString('hex')}`;
    const outcome = await run(['src/cli/create-admin.ts'], {
      DATABASE_URL: database.url,
      ADMIN_USERNAME: username,
      ADMIN_PASSWORD: 'three random words here',
      // Letters only: six random hex digits can read as a phone number, which nicknames refuse.
      ADMIN_NICKNAME: `Keeper ${randomBytes(3)
        .toString('hex')
        .replace(/\d/g, (d) => 'ghijklmnop'[Number(d)] ?? 'g')}`,
    });
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stderr).toBe('');
    expect(await database.db('users').where({ username }).first('role')).toEqual({ role: 'admin' });
  });

  it('a missing password, a short password and a taken username each exit 1 with one line', async () => {
    const env = { DATABASE_URL: database.url, ADMIN_NICKNAME: 'Another keeper' };
    const [missing, short, taken] = await Promise.all([
      run(['src/cli/create-admin.ts'], { ...env, ADMIN_USERNAME: 'newkeeper' }),
      run(['src/cli/create-admin.ts'], { ...env, ADMIN_USERNAME: 'newkeeper', ADMIN_PASSWORD: 'short' }),
      run(['src/cli/create-admin.ts'], { ...env, ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'three random words here' }),
    ]);
    expectOneLineFailure(missing, /^admin:create failed: .*ADMIN_PASSWORD: Enter a password/);
    expectOneLineFailure(short, /^admin:create failed: .*ADMIN_PASSWORD: Your password must be at least 10 characters/);
    expectOneLineFailure(taken, /^admin:create failed: An account with that username already exists\.$/m);
    expect(await database.db('users').where({ username: 'newkeeper' }).first()).toBeUndefined();
  });
});

describe('npm run seed:demo, npm run cluster and npm run bench', SPAWNING, () => {
  it('each exits 1 with one line when refused, misused or unable to reach the database', async () => {
    // A stand-in `haproxy` that answers `haproxy -v`, so the cluster gets as far as its database.
    const fakeBin = path.join(dir, 'bin');
    await mkdir(fakeBin);
    await writeFile(path.join(fakeBin, 'haproxy'), '#!/bin/sh\nexit 0\n');
    await chmod(path.join(fakeBin, 'haproxy'), 0o755);
    const [production, unreachableSeed, cluster, bench] = await Promise.all([
      run(['seeds/run-demo.ts'], {
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        SESSION_SECRET: 's'.repeat(40),
      }),
      run(['seeds/run-demo.ts'], { DATABASE_URL: UNREACHABLE }),
      run(['src/cli/cluster.ts'], {
        DATABASE_URL: UNREACHABLE,
        PATH: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}`,
      }),
      run(['bench/run.ts', '--quikc']),
    ]);
    expectOneLineFailure(production, /^seed:demo failed: The demo seed refuses to run with NODE_ENV=production\.$/m);
    expectOneLineFailure(unreachableSeed, /^seed:demo failed: connect ECONNREFUSED 127\.0\.0\.1:1$/m);
    expectOneLineFailure(cluster, /^cluster failed: connect ECONNREFUSED 127\.0\.0\.1:1$/m);
    expectOneLineFailure(bench, /^benchmark failed: unknown argument or phase --quikc/);
  });
});

describe('runCommand', SPAWNING, () => {
  const probe = (body: string) =>
    run(['--input-type=module', '-e', `import { runCommand } from './src/cli/run-command.ts';\n${body}`]);

  it('keeps a failure at exit 1 when something calls process.exit(0) on the way out, and prints only the first line', async () => {
    const outcome = await probe(
      "process.on('beforeExit', () => process.exit(0));\nawait runCommand('probe failed', async () => { throw new Error('first line\\n    at a stack frame'); });",
    );
    expectOneLineFailure(outcome, /^probe failed: first line$/m);
  });

  it('fails the command on a rejection nobody handled, and still closes what it opened', async () => {
    const outcome = await probe(
      "await runCommand('probe failed', async (scope) => {\n  scope.defer(async () => { process.stdout.write('closed'); });\n  void Promise.reject(new Error('stray'));\n  await new Promise(() => undefined);\n});",
    );
    expectOneLineFailure(outcome, /^probe failed: stray$/m);
    expect(outcome.stdout).toBe('closed');
  });
});
