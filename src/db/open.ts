import path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createDb, type Db } from './knex.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { migrateLatest } from './migrate.js';

export interface OpenDatabase {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR when it is unset,
 * then runs the migrations.
 */
export async function openDatabase(config: Config, logger: Logger, opts: { migrate?: boolean } = {}): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info('starting embedded PostgreSQL', { dataDir: path.resolve(config.dataDir), port: config.embeddedPgPort });
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'sharon' });
    url = embedded.url;
  }
  const db = createDb(url);
  try {
    if (opts.migrate !== false) await migrateLatest(db);
  } catch (e) {
    await db.destroy();
    await embedded?.stop();
    throw e;
  }
  return {
    db,
    url,
    embedded: embedded !== undefined,
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

/** A pg pool for the session store. */
export function createSessionPool(url: string): pg.Pool {
  return new pg.Pool({ connectionString: url, max: 5, application_name: 'sharon-sessions' });
}

/**
 * SESSION_SECRET, or outside production a secret generated once and kept in DATA_DIR, so that
 * restarting `npm start` keeps people signed in.
 */
export async function sessionSecretFor(config: Config): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(config.dataDir, { recursive: true, mode: 0o711 });
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
