import path from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { openDatabase } from '../db/open.js';
import { BackupError, createBackup, loadKey, restoreBackup } from '../backup/backup.js';
import { runCommand } from './run-command.js';

/**
 * `npm run backup [FILE]` and `npm run restore FILE`. Works against DATABASE_URL, or the embedded
 * PostgreSQL under DATA_DIR (stop `npm start` first: one server owns a data directory).
 */
const [command, file] = process.argv.slice(2);
await runCommand(command === 'restore' ? 'restore failed' : 'backup failed', async (scope) => {
  if (!(command === 'backup' || (command === 'restore' && file))) {
    throw new BackupError('Usage: npm run backup [FILE] | npm run restore FILE');
  }
  const config = loadConfig();
  const key = await loadKey(process.env);
  const database = await openDatabase(config, createLogger('warn'), { migrate: command !== 'restore' });
  scope.defer(() => database.close());
  if (command === 'restore' && file) {
    await restoreBackup({
      file: path.resolve(file),
      databaseUrl: database.url,
      uploadDir: config.uploads.dir,
      key,
      databaseIsEmpty: async () =>
        Number(
          (await database.db.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"))
            .rows[0].n,
        ) === 0,
    });
    process.stdout.write('Restored. Start SHaRON as usual.\n');
  } else {
    const out = path.resolve(file ?? `sharon-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sbk`);
    const { bytes } = await createBackup({
      databaseUrl: database.url,
      uploadDir: config.uploads.dir,
      key,
      outFile: out,
    });
    process.stdout.write(`Backup written: ${out} (${bytes} bytes, encrypted)\n`);
  }
});
