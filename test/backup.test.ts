import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb } from '../src/db/knex.js';
import { BackupError, createBackup, loadKey, restoreBackup } from '../src/backup/backup.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { demoIds } from './helpers/demo.js';
import { makeMessage } from './helpers/factories.js';

let source: TestDatabase;
let dir: string;
const key = randomBytes(32);
const MARKER = `plaintext-marker-${randomUUID()}`;

beforeAll(async () => {
  source = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'sharon-backup-test-'));
  const ids = await demoIds(source.db);
  await makeMessage(source.db, { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna'), body: MARKER });
  await writeFile(path.join(dir, 'uploads-marker'), 'an uploaded file');
});
afterAll(async () => {
  await source.drop();
  await rm(dir, { recursive: true, force: true });
});

const checksum = async (db: ReturnType<typeof createDb>) =>
  createHash('sha256')
    .update(JSON.stringify(await db('messages').orderBy('id').select('id', 'body', 'created_at')))
    .digest('hex');
const counts = async (db: ReturnType<typeof createDb>) =>
  Object.fromEntries(
    await Promise.all(
      ['users', 'messages', 'rooms', 'library_items', 'audit_log', 'files'].map(async (t) => [
        t,
        Number((await db(t).count('* as n').first())?.n),
      ]),
    ),
  );

describe('backups', () => {
  it('a backup restores into a fresh database with the same rows, the same messages and the uploads', async () => {
    const file = path.join(dir, 'backup.sbk');
    const uploads = path.join(dir, 'uploads');
    await (await import('node:fs/promises')).mkdir(uploads);
    await writeFile(path.join(uploads, 'storedfile'), 'uploaded bytes');
    await createBackup({ databaseUrl: source.url, uploadDir: uploads, key, outFile: file });
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 9).toString()).toBe('SHARONBK1');
    expect(bytes.includes(Buffer.from(MARKER))).toBe(false);
    expect(bytes.includes(Buffer.from('uploaded bytes'))).toBe(false);

    const adminUrl = inject('pgAdminUrl');
    const name = `sharon_restore_${randomBytes(4).toString('hex')}`;
    const admin = createDb(adminUrl, 1);
    await admin.raw(`CREATE DATABASE ${name}`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const target = createDb(u.toString(), 2);
    const restoredUploads = path.join(dir, 'restored-uploads');
    try {
      await restoreBackup({
        file,
        databaseUrl: u.toString(),
        uploadDir: restoredUploads,
        key,
        databaseIsEmpty: async () =>
          Number(
            (await target.raw("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'"))
              .rows[0].n,
          ) === 0,
      });
      expect(await counts(target)).toEqual(await counts(source.db));
      expect(await checksum(target)).toBe(await checksum(source.db));
      expect(await readFile(path.join(restoredUploads, 'storedfile'), 'utf8')).toBe('uploaded bytes');
      // Restoring over data is refused.
      await expect(
        restoreBackup({
          file,
          databaseUrl: u.toString(),
          uploadDir: restoredUploads,
          key,
          databaseIsEmpty: async () => false,
        }),
      ).rejects.toThrow(/not empty/);
    } finally {
      await target.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    }
  });

  it('a wrong key fails clearly and restores nothing', async () => {
    const file = path.join(dir, 'backup2.sbk');
    await createBackup({ databaseUrl: source.url, uploadDir: path.join(dir, 'none'), key, outFile: file });
    const restored = path.join(dir, 'wrong-key-uploads');
    await expect(
      restoreBackup({
        file,
        databaseUrl: 'postgres://unused@127.0.0.1:1/none',
        uploadDir: restored,
        key: randomBytes(32),
        databaseIsEmpty: async () => true,
      }),
    ).rejects.toThrow(/key is wrong or the file is damaged/);
    await expect(readdir(restored)).rejects.toThrow();
  });

  it('the key must be given and be 32 bytes', async () => {
    await expect(loadKey({})).rejects.toThrow(BackupError);
    await expect(loadKey({ BACKUP_KEY: 'short' })).rejects.toThrow(/32 bytes/);
    expect((await loadKey({ BACKUP_KEY: randomBytes(32).toString('base64') })).length).toBe(32);
  });
});
