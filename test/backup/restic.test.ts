import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { backupDatabaseToRestic, backupToRestic, snapshotTime } from '../../src/backup/restic-backup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { demoIds } from '../helpers/demo.js';
import {
  createEmptyDatabase,
  fingerprint,
  rawDataSize,
  resticCli,
  runCli,
  snapshots,
  type Outcome,
} from './restic-helpers.js';

// Backups into a real restic repository (Debian's restic) in a temporary directory, against a copy
// of the demo database grown to a realistic size: some 60,000 messages, a dump of about 55 MB,
// which restic cuts into chunks of 0.5 to 8 MB (about 1 MB on average). A nightly change touches a
// few of them (the dump's header, the end of the messages): usually 8 to 12% of a 19 MB dump. Where
// restic cuts depends on a polynomial chosen at random for each repository, so now and then the
// changed chunks are large: at 19 MB, two of them once came to 46% of the first backup. At 55 MB
// even two of the largest chunks restic makes (8 MB each) stay under the test's 30%.
const SLOW = { timeout: 180_000 };
const PASSWORD = `restic-password-${randomUUID()}`;
const MARKER = `restic-plaintext-marker-${randomUUID()}`;

let source: TestDatabase;
let dir: string;
let uploads: string;
let repoEnv: NodeJS.ProcessEnv;
let settings: { repository: string; passwordFile: string };
let roomId: string;
let authorId: string;

/** The environment `npm run backup` and `npm run restore` get: the repository and a password file. */
const cliEnv = (extra: NodeJS.ProcessEnv = {}) => ({
  DATABASE_URL: source.url,
  DATA_DIR: path.join(dir, 'data'),
  UPLOAD_DIR: uploads,
  RESTIC_REPOSITORY: settings.repository,
  RESTIC_PASSWORD_FILE: settings.passwordFile,
  RESTIC_CACHE_DIR: path.join(dir, 'cache'),
  ...extra,
});

// Bodies without repeats inside (a periodic text would leave restic's content-defined chunker few
// places to cut, and its chunks would be as large as 8 MB).
const BODY = [1, 7, 13, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109]
  .map((k) => `md5((i * ${k})::text)`)
  .join(" || ' ' || ");

async function addMessages(n: number, body = BODY) {
  await source.db.transaction(async (trx) => {
    // Growing the database takes longer than a request's statement limit on a busy machine.
    await trx.raw('SET LOCAL statement_timeout = 0');
    await trx.raw(
      `INSERT INTO messages (room_id, author_id, client_id, body, author_role)
     SELECT ?, ?, gen_random_uuid(), ${body}, (SELECT role FROM users WHERE id = ?) FROM generate_series(1, ?) i`,
      [roomId, authorId, authorId, n],
    );
  });
}

/** Exit 1 and exactly one line on stderr matching `line`; the password never appears. */
function expectOneLineFailure(outcome: Outcome, line: RegExp): void {
  expect(outcome.code, outcome.stderr).toBe(1);
  expect(outcome.stderr.trimEnd().split('\n'), outcome.stderr).toHaveLength(1);
  expect(outcome.stderr).toMatch(line);
  expect(outcome.stderr + outcome.stdout).not.toContain(PASSWORD);
}

beforeAll(async () => {
  source = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'sharon-restic-test-'));
  uploads = path.join(dir, 'uploads');
  await mkdir(uploads);
  await writeFile(path.join(uploads, 'poster-1'), 'an uploaded poster');
  settings = { repository: path.join(dir, 'repo'), passwordFile: path.join(dir, 'restic-password') };
  await writeFile(settings.passwordFile, PASSWORD, { mode: 0o600 });
  process.env.RESTIC_CACHE_DIR = path.join(dir, 'cache');
  repoEnv = { RESTIC_REPOSITORY: settings.repository, RESTIC_PASSWORD_FILE: settings.passwordFile };
  await resticCli(repoEnv, ['init']);
  const ids = await demoIds(source.db);
  roomId = ids.room('Anorexia living room');
  authorId = ids.user('anna');
  await addMessages(60_000);
  await addMessages(1, `'${MARKER}'`);
});

afterAll(async () => {
  await source?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('backups into restic', SLOW, () => {
  it('two backups of a database that changed a little take much less than twice the space, and the repository holds no message text', async () => {
    const first = await backupDatabaseToRestic({ settings, databaseUrl: source.url, time: '2021-03-01 02:30:00' });
    const afterFirst = await rawDataSize(repoEnv);
    await addMessages(20);
    const second = await backupDatabaseToRestic({ settings, databaseUrl: source.url, time: '2021-03-02 02:30:00' });
    const afterSecond = await rawDataSize(repoEnv);

    expect(first.bytesRead).toBeGreaterThan(15_000_000);
    expect(second.bytesRead).toBeGreaterThan(first.bytesRead);
    // Both snapshots are there, and the second added a fraction of the first: the chunks around the
    // change (the dump's header, the end of the messages, the sequences), not a second copy.
    expect((await snapshots(repoEnv)).map((s) => s.short_id)).toEqual(
      expect.arrayContaining([first.snapshotId, second.snapshotId]),
    );
    expect(afterSecond - afterFirst).toBeLessThan(afterFirst * 0.3);
    expect(second.bytesAdded).toBeLessThan(first.bytesAdded * 0.3);

    const files = await readdir(settings.repository, { recursive: true, withFileTypes: true });
    for (const f of files.filter((e) => e.isFile())) {
      const bytes = await readFile(path.join(f.parentPath, f.name));
      expect(bytes.includes(Buffer.from(MARKER)), f.name).toBe(false);
    }
  });

  it('a pg_dump that fails, at once or half-way through the dump, leaves no snapshot behind and says why', async () => {
    const before = (await snapshots(repoEnv)).length;
    await expect(
      backupDatabaseToRestic({ settings, databaseUrl: 'postgres://x:y@127.0.0.1:1/none', time: '2021-03-03 02:30:00' }),
    ).rejects.toThrow(/^pg_dump failed: /);
    // A pg_dump that writes part of a dump and then fails: restic stores what it got; it must go.
    const bin = path.join(dir, 'failing-bin');
    await mkdir(bin);
    await writeFile(
      path.join(bin, 'pg_dump'),
      `#!/bin/sh\necho "$*" > ${bin}/args\nenv > ${bin}/env\necho "PGDMP part of a dump"\necho "pg_dump: error: connection to server lost" >&2\nexit 1\n`,
      { mode: 0o755 },
    );
    await expect(
      backupDatabaseToRestic({
        settings,
        databaseUrl: source.url,
        time: '2021-03-04 02:30:00',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RESTIC_PASSWORD_FILE: settings.passwordFile },
      }),
    ).rejects.toThrow(/^pg_dump failed: pg_dump: error: connection to server lost$/);
    expect(await snapshots(repoEnv)).toHaveLength(before);
    // pg_dump gets the database password in PGPASSWORD, not on its command line, and no restic secret.
    const dbPassword = decodeURIComponent(new URL(source.url).password);
    expect(dbPassword).not.toBe('');
    expect(await readFile(path.join(bin, 'args'), 'utf8')).not.toContain(dbPassword);
    const pgEnv = await readFile(path.join(bin, 'env'), 'utf8');
    expect(pgEnv).toContain(`PGPASSWORD=${dbPassword}`);
    expect(pgEnv).not.toMatch(/RESTIC_PASSWORD/);
  });

  it('npm run backup stores the database and uploads; npm run restore brings back latest, or an older backup by its id', async () => {
    const yesterday = new Date(Date.now() - 86_400_000);
    const older = await backupToRestic({
      settings,
      databaseUrl: source.url,
      uploadDir: uploads,
      keep: { daily: 7, monthly: 12 },
      now: yesterday,
    });
    const olderPrint = await fingerprint(source.db);

    await addMessages(3);
    await writeFile(path.join(uploads, 'poster-2'), 'a second poster');
    const backup = await runCli(['src/cli/backup.ts', 'backup'], cliEnv());
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(
      /^Backup stored in restic: database snapshot [0-9a-f]{8}, uploads snapshot [0-9a-f]{8} /,
    );
    expect(backup.stdout).toMatch(/Retention: 7 daily, 12 monthly; 4 backups kept\./);
    const latestPrint = await fingerprint(source.db);
    expect(latestPrint.counts.messages).toBe((olderPrint.counts.messages ?? 0) + 3);

    const [latestDb, olderDb] = await Promise.all([createEmptyDatabase(), createEmptyDatabase()]);
    try {
      const latestUploads = path.join(dir, 'restored-latest');
      const olderUploads = path.join(dir, 'restored-older');
      const [latest, byId] = await Promise.all([
        runCli(
          ['src/cli/backup.ts', 'restore', 'latest'],
          cliEnv({ DATABASE_URL: latestDb.url, UPLOAD_DIR: latestUploads }),
        ),
        runCli(
          ['src/cli/backup.ts', 'restore', older.db.snapshotId],
          cliEnv({ DATABASE_URL: olderDb.url, UPLOAD_DIR: olderUploads }),
        ),
      ]);
      expect(latest.code, latest.stderr).toBe(0);
      expect(latest.stdout).toMatch(/^Restored the backup of .* Start SHaRON as usual\.\n$/);
      expect(byId.code, byId.stderr).toBe(0);
      expect(byId.stdout).toContain(`snapshots ${older.db.snapshotId} and ${older.uploads.snapshotId}`);

      expect(await fingerprint(latestDb.db)).toEqual(latestPrint);
      expect(await fingerprint(olderDb.db)).toEqual(olderPrint);
      expect((await readdir(latestUploads)).sort()).toEqual(['poster-1', 'poster-2']);
      expect(await readFile(path.join(latestUploads, 'poster-2'), 'utf8')).toBe('a second poster');
      expect(await readdir(olderUploads)).toEqual(['poster-1']);
    } finally {
      await Promise.all([latestDb.drop(), olderDb.drop()]);
    }
  });

  it('a wrong password, no restic, no repository and an unknown snapshot each exit 1 with one line, and restore nothing', async () => {
    const target = await createEmptyDatabase();
    const wrongPassword = { RESTIC_PASSWORD_FILE: undefined, RESTIC_PASSWORD: 'not-the-password' };
    const before = (await snapshots(repoEnv)).length;
    try {
      const [backup, restore, noRestic, noRepository, unknown] = await Promise.all([
        runCli(['src/cli/backup.ts', 'backup'], cliEnv(wrongPassword)),
        runCli(['src/cli/backup.ts', 'restore', 'latest'], cliEnv({ ...wrongPassword, DATABASE_URL: target.url })),
        runCli(['src/cli/backup.ts', 'restore', 'latest'], cliEnv({ DATABASE_URL: target.url, PATH: dir })),
        runCli(['src/cli/backup.ts', 'backup'], cliEnv({ RESTIC_REPOSITORY: path.join(dir, 'no-such-repo') })),
        runCli(['src/cli/backup.ts', 'restore', 'deadbeef00'], cliEnv({ DATABASE_URL: target.url })),
      ]);
      expectOneLineFailure(backup, /^backup failed: restic: wrong password or no key found/);
      expectOneLineFailure(restore, /^restore failed: restic: wrong password or no key found/);
      expectOneLineFailure(noRestic, /^restore failed: restic could not run .*Install restic/);
      expectOneLineFailure(
        noRepository,
        /^backup failed: restic: there is no repository at RESTIC_REPOSITORY .*restic init/,
      );
      expectOneLineFailure(unknown, /^restore failed: No SHaRON snapshot deadbeef00 in the repository/);
      const tables = await target.db.raw(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(Number(tables.rows[0].n)).toBe(0);
      expect(await snapshots(repoEnv)).toHaveLength(before);
    } finally {
      await target.drop();
    }
  });
});

describe('retention', SLOW, () => {
  it('BACKUP_KEEP_DAILY and BACKUP_KEEP_MONTHLY reach restic forget; snapshots that are not SHaRON stay', async () => {
    const repository = path.join(dir, 'retention-repo');
    const env = { RESTIC_REPOSITORY: repository, RESTIC_PASSWORD_FILE: settings.passwordFile };
    await resticCli(env, ['init']);
    const days = ['2020-01-10', '2020-01-20', '2020-02-10', '2020-02-11', '2020-02-12'];
    for (const day of days)
      await resticCli(
        env,
        ['backup', '--stdin', '--stdin-filename', 'sharon.dump', '--tag', 'sharon,db', '--time', `${day} 02:30:00`],
        day,
      );
    await resticCli(
      env,
      ['backup', '--stdin', '--stdin-filename', 'other', '--tag', 'other', '--time', '2020-01-01 00:00:00'],
      'x',
    );

    const run = await runCli(
      ['src/cli/backup.ts', 'backup'],
      cliEnv({ RESTIC_REPOSITORY: repository, BACKUP_KEEP_DAILY: '3', BACKUP_KEEP_MONTHLY: '3' }),
    );
    expect(run.code, run.stderr).toBe(0);

    const kept = (await snapshots(env)).filter((s) => s.tags.includes('db')).map((s) => s.time.slice(0, 10));
    const today = snapshotTime(new Date()).slice(0, 10);
    // Daily: today, 12 and 11 February. Monthly: this month, February (the 12th) and January (the 20th).
    expect(kept.sort()).toEqual(['2020-01-20', '2020-02-11', '2020-02-12', today]);
    expect(await snapshots(env, 'other')).toHaveLength(1);
  });

  it('bad retention values and a repository without a password are configuration errors naming the variable', () => {
    expect(() => loadConfig({ BACKUP_KEEP_DAILY: 'seven' })).toThrow(
      /BACKUP_KEEP_DAILY: BACKUP_KEEP_DAILY is a whole number of days/,
    );
    expect(() => loadConfig({ BACKUP_KEEP_DAILY: '0' })).toThrow(/BACKUP_KEEP_DAILY/);
    expect(() => loadConfig({ BACKUP_KEEP_MONTHLY: '-1' })).toThrow(/BACKUP_KEEP_MONTHLY: .*0 or more/);
    expect(() => loadConfig({ RESTIC_REPOSITORY: '/srv/backup' })).toThrow(
      /RESTIC_REPOSITORY: needs RESTIC_PASSWORD or RESTIC_PASSWORD_FILE/,
    );
    expect(() => loadConfig({ RESTIC_PASSWORD: 'pw' })).toThrow(/RESTIC_REPOSITORY: is required/);
    expect(() => loadConfig({ RESTIC_REPOSITORY: 'r', RESTIC_PASSWORD: 'p', RESTIC_PASSWORD_FILE: 'f' })).toThrow(
      /not both/,
    );
    const config = loadConfig({
      RESTIC_REPOSITORY: 's3:s3.amazonaws.com/bucket',
      RESTIC_PASSWORD_FILE: '/etc/sharon/restic',
    });
    expect(config.backup).toEqual({
      restic: { repository: 's3:s3.amazonaws.com/bucket', password: undefined, passwordFile: '/etc/sharon/restic' },
      keepDaily: 7,
      keepMonthly: 12,
    });
    expect(loadConfig({}).backup.restic).toBeUndefined();
  });
});
