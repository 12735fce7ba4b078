import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase, type OpenDatabase } from '../db/open.js';
import { BackupError, createBackup, loadKey, restoreBackup } from '../backup/backup.js';
import { backupToRestic, restoreFromRestic } from '../backup/restic-backup.js';
import { runCommand } from './run-command.js';

/**
 * `npm run backup [FILE]` and `npm run restore FILE`: the encrypted-file mode (the default). With
 * RESTIC_REPOSITORY and a restic password set: `npm run backup` stores a snapshot in restic and
 * applies the retention policy, and `npm run restore <snapshot-id|latest>` restores one. Works
 * against DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (stop `npm start` first: one
 * server owns a data directory).
 */
const [command, file] = process.argv.slice(2);
await runCommand(command === 'restore' ? 'restore failed' : 'backup failed', async (scope) => {
  if (!(command === 'backup' || (command === 'restore' && file))) {
    throw new BackupError(
      'Usage: npm run backup [FILE] | npm run restore FILE (with restic: npm run backup | npm run restore <snapshot-id|latest>)',
    );
  }
  const config = loadConfig();
  if (config.backup.restic && command === 'backup' && file)
    throw new BackupError('RESTIC_REPOSITORY is set: npm run backup writes to restic and takes no FILE.');
  const key = config.backup.restic ? undefined : await loadKey(process.env);
  const database = await openDatabase(config, createLogger('warn'), { migrate: command !== 'restore' });
  scope.defer(() => database.close());
  if (command === 'restore' && file) await restore(config, database, file, key);
  else await backup(config, database, file, key);
});

/** Whether the target database has no tables yet (restores go into an empty database only). */
function databaseIsEmpty(database: OpenDatabase): () => Promise<boolean> {
  return async () =>
    Number(
      (await database.db.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"))
        .rows[0].n,
    ) === 0;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

async function restore(config: Config, database: OpenDatabase, ref: string, key: Buffer | undefined): Promise<void> {
  const common = {
    databaseUrl: database.url,
    uploadDir: config.uploads.dir,
    databaseIsEmpty: databaseIsEmpty(database),
  };
  if (config.backup.restic) {
    const set = await restoreFromRestic({ settings: config.backup.restic, ref, ...common });
    process.stdout.write(
      `Restored the backup of ${set.db.time} (snapshots ${set.db.short_id} and ${set.uploads.short_id}). Start SHaRON as usual.\n`,
    );
    return;
  }
  if (!key) throw new BackupError('Set BACKUP_KEY or BACKUP_KEY_FILE.');
  await restoreBackup({ file: path.resolve(ref), key, ...common });
  process.stdout.write('Restored. Start SHaRON as usual.\n');
}

async function backup(config: Config, database: OpenDatabase, file: string | undefined, key: Buffer | undefined) {
  if (config.backup.restic) {
    const { db, uploads, kept } = await backupToRestic({
      settings: config.backup.restic,
      databaseUrl: database.url,
      uploadDir: config.uploads.dir,
      keep: { daily: config.backup.keepDaily, monthly: config.backup.keepMonthly },
    });
    const read = db.bytesRead + uploads.bytesRead;
    const added = db.bytesAdded + uploads.bytesAdded;
    process.stdout.write(
      `Backup stored in restic: database snapshot ${db.snapshotId}, uploads snapshot ${uploads.snapshotId} ` +
        `(${megabytes(read)} read, ${megabytes(added)} new after deduplication). ` +
        `Retention: ${config.backup.keepDaily} daily, ${config.backup.keepMonthly} monthly; ${kept} backups kept.\n`,
    );
    return;
  }
  if (!key) throw new BackupError('Set BACKUP_KEY or BACKUP_KEY_FILE.');
  const out = path.resolve(file ?? `sharon-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sbk`);
  const { bytes } = await createBackup({ databaseUrl: database.url, uploadDir: config.uploads.dir, key, outFile: out });
  process.stdout.write(`Backup written: ${out} (${bytes} bytes, encrypted)\n`);
}
