import { spawn } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import * as tar from 'tar';
import { pgConnection } from './processes.js';

/**
 * Encrypted, compressed backups: pg_dump (custom format) and the uploaded files, packed with tar
 * and gzip, then sealed with AES-256-GCM. File layout: "SHARONBK1" | 12-byte IV | ciphertext | 16-byte tag.
 */
const MAGIC = Buffer.from('SHARONBK1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class BackupError extends Error {}

/** The 32-byte key: BACKUP_KEY (base64 or hex), or the contents of BACKUP_KEY_FILE. */
export async function loadKey(env: { BACKUP_KEY?: string; BACKUP_KEY_FILE?: string }): Promise<Buffer> {
  const raw =
    env.BACKUP_KEY ?? (env.BACKUP_KEY_FILE ? (await readFile(env.BACKUP_KEY_FILE, 'utf8')).trim() : undefined);
  if (!raw)
    throw new BackupError(
      'Set BACKUP_KEY (32 bytes as base64 or hex, e.g. from `openssl rand -base64 32`) or BACKUP_KEY_FILE.',
    );
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new BackupError('BACKUP_KEY must be 32 bytes (base64 or 64 hex characters).');
  return key;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', (e) =>
      reject(
        new BackupError(
          `${cmd} could not run (${e.message}). Install the PostgreSQL client tools (Debian: postgresql-client).`,
        ),
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${cmd} failed: ${err.trim().split('\n').slice(-2).join(' ')}`)),
    );
  });
}

/** Writes an encrypted backup of the database and the upload directory to `outFile`. */
export async function createBackup(opts: {
  databaseUrl: string;
  uploadDir: string;
  key: Buffer;
  outFile: string;
}): Promise<{ bytes: number }> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'sharon-backup-'));
  try {
    // The database password goes in PGPASSWORD, not on the command line other users can read.
    const pg = pgConnection(opts.databaseUrl, process.env);
    await run(
      'pg_dump',
      ['--format=custom', '--no-owner', '--file', path.join(work, 'database.dump'), '--dbname', pg.dbname],
      pg.env,
    );
    await mkdir(path.join(work, 'uploads'));
    if (existsSync(opts.uploadDir)) await cp(opts.uploadDir, path.join(work, 'uploads'), { recursive: true });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', opts.key, iv);
    const out = createWriteStream(opts.outFile, { mode: 0o600 });
    out.write(Buffer.concat([MAGIC, iv]));
    await pipeline(tar.create({ gzip: true, cwd: work, portable: true }, ['database.dump', 'uploads']), cipher, out, {
      end: false,
    });
    await new Promise<void>((resolve, reject) =>
      out.end(cipher.getAuthTag(), (e?: Error | null) => (e ? reject(e) : resolve())),
    );
    const fh = await open(opts.outFile, 'r');
    const { size } = await fh.stat();
    await fh.close();
    return { bytes: size };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into an empty database and copies the uploads back.
 * @throws BackupError for a wrong key, a damaged file or a database that is not empty.
 */
export async function restoreBackup(opts: {
  file: string;
  databaseUrl: string;
  uploadDir: string;
  key: Buffer;
  databaseIsEmpty: () => Promise<boolean>;
}): Promise<void> {
  if (!(await opts.databaseIsEmpty()))
    throw new BackupError('The target database is not empty. Restore into a new, empty database.');
  const fh = await open(opts.file, 'r');
  const { size } = await fh.stat();
  const head = Buffer.alloc(MAGIC.length + IV_BYTES);
  await fh.read(head, 0, head.length, 0);
  const tag = Buffer.alloc(TAG_BYTES);
  await fh.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  await fh.close();
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupError('This is not a SHaRON backup file.');
  const decipher = createDecipheriv('aes-256-gcm', opts.key, head.subarray(MAGIC.length));
  decipher.setAuthTag(tag);
  const work = await mkdtemp(path.join(os.tmpdir(), 'sharon-restore-'));
  try {
    // Decrypt fully to a temporary file first: nothing is extracted unless the tag checks out.
    const plain = path.join(work, 'backup.tar.gz');
    const guard = new Transform({ transform: (chunk, _e, done) => done(null, chunk) });
    await pipeline(
      createReadStream(opts.file, { start: head.length, end: size - TAG_BYTES - 1 }),
      decipher,
      guard,
      createWriteStream(plain, { mode: 0o600 }),
    ).catch(() => {
      throw new BackupError('The backup could not be decrypted: the key is wrong or the file is damaged.');
    });
    await tar.extract({ file: plain, cwd: work });
    const pg = pgConnection(opts.databaseUrl, process.env);
    await run(
      'pg_restore',
      ['--no-owner', '--exit-on-error', '--dbname', pg.dbname, path.join(work, 'database.dump')],
      pg.env,
    );
    await mkdir(opts.uploadDir, { recursive: true, mode: 0o700 });
    await cp(path.join(work, 'uploads'), opts.uploadDir, { recursive: true });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
