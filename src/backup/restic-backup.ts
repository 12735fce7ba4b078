import { mkdir } from 'node:fs/promises';
import { BackupError } from './backup.js';
import { lastErrorLine, pgConnection, pipeProcesses, startProcess, type Finished } from './processes.js';
import {
  DB_TAGS,
  DUMP_NAME,
  UPLOADS_TAGS,
  listSnapshots,
  resolveBackupSet,
  restic,
  resticEnv,
  resticFailure,
  type BackupSet,
  type ResticSettings,
} from './restic.js';

/** What one restic backup run added. */
export interface SnapshotMade {
  snapshotId: string;
  /** Bytes restic read. */
  bytesRead: number;
  /** Bytes new to the repository after deduplication (before compression). */
  bytesAdded: number;
}

/** The `--time` restic stamps on both snapshots of one backup: local time, to the second. */
export function snapshotTime(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

function summaryOf(f: Finished): SnapshotMade | undefined {
  for (const line of f.stdout.split('\n').reverse()) {
    if (!line.includes('"summary"')) continue;
    const s = JSON.parse(line) as { snapshot_id?: string; total_bytes_processed?: number; data_added?: number };
    if (s.snapshot_id)
      return { snapshotId: s.snapshot_id, bytesRead: s.total_bytes_processed ?? 0, bytesAdded: s.data_added ?? 0 };
  }
  return undefined;
}

/** A snapshot from a run that failed half-way must not be restorable: forget it (best effort). */
async function discard(settings: ResticSettings, made: SnapshotMade | undefined): Promise<void> {
  if (made) await restic(settings, ['forget', made.snapshotId]).catch(() => undefined);
}

/**
 * Streams `pg_dump --format=custom` (uncompressed, so restic can deduplicate it; restic compresses)
 * straight into `restic backup --stdin`: no copy of the dump touches the disk. Both exit codes are
 * checked; a snapshot of a dump that failed half-way is forgotten at once.
 * @throws BackupError with restic's or pg_dump's one-line reason.
 */
export async function backupDatabaseToRestic(opts: {
  settings: ResticSettings;
  databaseUrl: string;
  time: string;
  env?: NodeJS.ProcessEnv;
}): Promise<SnapshotMade> {
  const base = opts.env ?? process.env;
  const pg = pgConnection(opts.databaseUrl, base);
  const dump = startProcess('pg_dump', ['--format=custom', '--compress=0', '--no-owner', '--dbname', pg.dbname], {
    env: pg.env,
    collectStdout: false,
  });
  const store = startProcess(
    'restic',
    ['backup', '--json', '--stdin', '--stdin-filename', DUMP_NAME, '--tag', DB_TAGS, '--time', opts.time],
    { env: resticEnv(opts.settings, base), stdin: 'pipe' },
  );
  const [dumped, stored] = await pipeProcesses(dump, store);
  const made = stored.code === 0 ? summaryOf(stored) : undefined;
  // restic refuses to store an empty input: then pg_dump failed before writing and its reason is the real one.
  const emptyInput = dumped.code !== 0 && /no data read|snapshot is empty/.test(stored.stderr);
  if (stored.code !== 0 && !emptyInput) throw resticFailure(stored);
  if (dumped.code !== 0 || !made) {
    await discard(opts.settings, made);
    throw dumped.spawnError
      ? new BackupError(`pg_dump could not run (${dumped.spawnError.message}). Install postgresql-client.`)
      : new BackupError(`pg_dump failed: ${lastErrorLine(dumped)}`);
  }
  return made;
}

/**
 * Backs up the upload directory's files (stored at the snapshot's root, so they restore into any
 * directory). An unreadable file fails the run (restic's exit code 3) and its snapshot is forgotten.
 * @throws BackupError
 */
export async function backupUploadsToRestic(opts: {
  settings: ResticSettings;
  uploadDir: string;
  time: string;
  env?: NodeJS.ProcessEnv;
}): Promise<SnapshotMade> {
  await mkdir(opts.uploadDir, { recursive: true, mode: 0o700 });
  const f = await startProcess('restic', ['backup', '--json', '--tag', UPLOADS_TAGS, '--time', opts.time, '.'], {
    env: resticEnv(opts.settings, opts.env ?? process.env),
    cwd: opts.uploadDir,
  }).done;
  const made = summaryOf(f);
  if (f.code !== 0 || !made) {
    await discard(opts.settings, made);
    throw f.code === 3
      ? new BackupError(`restic could not read some uploaded files: ${lastErrorLine(f)}`)
      : resticFailure(f);
  }
  return made;
}

/**
 * Applies the retention policy to SHaRON's snapshots only (tag `sharon`), the database and uploads
 * snapshots each as their own group: keep the newest backup of each of the last `keepDaily` days
 * and of each of the last `keepMonthly` months; remove the rest and prune the data nothing uses.
 * @throws BackupError
 */
export async function applyRetention(
  settings: ResticSettings,
  keep: { daily: number; monthly: number },
): Promise<void> {
  await restic(settings, [
    'forget',
    '--prune',
    '--tag',
    'sharon',
    '--group-by',
    'tags',
    '--keep-daily',
    String(keep.daily),
    '--keep-monthly',
    String(keep.monthly),
  ]);
}

/** `npm run backup` with restic: uploads, then the database (same time), then retention. */
export async function backupToRestic(opts: {
  settings: ResticSettings;
  databaseUrl: string;
  uploadDir: string;
  keep: { daily: number; monthly: number };
  now?: Date;
}): Promise<{ db: SnapshotMade; uploads: SnapshotMade; kept: number }> {
  const time = snapshotTime(opts.now ?? new Date());
  const uploads = await backupUploadsToRestic({ settings: opts.settings, uploadDir: opts.uploadDir, time });
  const db = await backupDatabaseToRestic({ settings: opts.settings, databaseUrl: opts.databaseUrl, time }).catch(
    async (e: unknown) => {
      await discard(opts.settings, uploads);
      throw e;
    },
  );
  await applyRetention(opts.settings, opts.keep).catch((e: unknown) => {
    // The backup itself is safe: say so, and still fail (an append-only repository refuses forget).
    const why = e instanceof Error ? e.message : String(e);
    throw new BackupError(
      `Backup stored (database snapshot ${db.snapshotId}, uploads snapshot ${uploads.snapshotId}) but retention failed: ${why}`,
    );
  });
  const kept = (await listSnapshots(opts.settings)).filter((s) => s.tags?.includes('db')).length;
  return { db, uploads, kept };
}

/**
 * Restores a backup (`latest` or a snapshot id) into an empty database (`restic dump | pg_restore`,
 * both exit codes checked) and its uploads into `uploadDir`. Nothing is written before the
 * snapshot is found and the database is known to be empty.
 * @throws BackupError
 */
export async function restoreFromRestic(opts: {
  settings: ResticSettings;
  ref: string;
  databaseUrl: string;
  uploadDir: string;
  databaseIsEmpty: () => Promise<boolean>;
  env?: NodeJS.ProcessEnv;
}): Promise<BackupSet> {
  if (!/^(latest|[0-9a-f]{8,64})$/i.test(opts.ref))
    throw new BackupError('Give a snapshot id (8 to 64 hexadecimal characters) or latest.');
  const set = resolveBackupSet(await listSnapshots(opts.settings), opts.ref);
  if (!(await opts.databaseIsEmpty()))
    throw new BackupError('The target database is not empty. Restore into a new, empty database.');
  const base = opts.env ?? process.env;
  const pg = pgConnection(opts.databaseUrl, base);
  const read = startProcess('restic', ['dump', set.db.id, `/${DUMP_NAME}`], {
    env: resticEnv(opts.settings, base),
    collectStdout: false,
  });
  const load = startProcess('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', pg.dbname], {
    env: pg.env,
    stdin: 'pipe',
  });
  const [readOut, loaded] = await pipeProcesses(read, load);
  // pg_restore stopping first breaks restic's pipe: then pg_restore's reason is the real one.
  if (readOut.code !== 0 && (loaded.code === 0 || !/broken pipe/i.test(readOut.stderr))) throw resticFailure(readOut);
  if (loaded.code !== 0)
    throw loaded.spawnError
      ? new BackupError(`pg_restore could not run (${loaded.spawnError.message}). Install postgresql-client.`)
      : new BackupError(`pg_restore failed: ${lastErrorLine(loaded)}`);
  await mkdir(opts.uploadDir, { recursive: true, mode: 0o700 });
  await restic(opts.settings, ['restore', set.uploads.id, '--target', opts.uploadDir], base);
  return set;
}
