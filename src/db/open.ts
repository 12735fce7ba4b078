import path from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createDb, type Db } from './knex.js';
import { createPool, HEALTH_TIMEOUTS, MAINTENANCE_TIMEOUTS, REQUEST_TIMEOUTS, type DbTimeouts } from './connection.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { migrateLatest } from './migrate.js';

export interface OpenDatabase {
  /** For request work: fails fast (config.database timeouts). */
  db: Db;
  /** For long work (retention, restores' checks): no statement limit, two connections at most. */
  maintenance: Db;
  url: string;
  embedded: boolean;
  /** Shutting down: the embedded PostgreSQL is not restarted if it stops now. */
  expectStop(): void;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL under DATA_DIR when it is unset
 * (restarted if it stops by itself, with `superviseEmbedded`), then runs the migrations (without a statement limit: a backfill may take minutes).
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  opts: { migrate?: boolean; superviseEmbedded?: boolean } = {},
): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    logger.info('starting embedded PostgreSQL', { dataDir: path.resolve(config.dataDir), port: config.embeddedPgPort });
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      database: 'sharon',
      restart: opts.superviseEmbedded
        ? {
            delayMs: 2_000,
            onEvent: (event) =>
              event === 'restarted'
                ? logger.info('embedded PostgreSQL restarted')
                : logger.warn(
                    event === 'stopped'
                      ? 'embedded PostgreSQL stopped unexpectedly; restarting it'
                      : 'embedded PostgreSQL could not restart; trying again',
                  ),
          }
        : undefined,
    });
    url = embedded.url;
  }
  const maintenance = createDb(url, 2, MAINTENANCE_TIMEOUTS);
  try {
    if (opts.migrate !== false) await migrateLatest(maintenance);
  } catch (e) {
    await maintenance.destroy();
    await embedded?.stop();
    throw e;
  }
  const db = createDb(url, 10, config.database);
  return {
    db,
    maintenance,
    url,
    embedded: embedded !== undefined,
    expectStop: () => embedded?.expectStop(),
    async close() {
      await Promise.all([db.destroy(), maintenance.destroy()]);
      await embedded?.stop();
    },
  };
}

/** A pg pool for the session store. */
export function createSessionPool(url: string, logger?: Logger, timeouts: DbTimeouts = REQUEST_TIMEOUTS): pg.Pool {
  return createPool(url, { name: 'sharon-sessions', max: 5, timeouts, logger });
}

/** A pg pool for the Socket.IO adapter: NOTIFY, its attachments table, and one LISTEN connection. */
export function createAdapterPool(url: string, logger?: Logger, timeouts: DbTimeouts = REQUEST_TIMEOUTS): pg.Pool {
  return createPool(url, { name: 'sharon-adapter', max: 5, timeouts, logger });
}

/** One connection for /healthz, with its own short limits: health never waits behind page work. */
export function createHealthPool(url: string, logger?: Logger): pg.Pool {
  return createPool(url, { name: 'sharon-health', max: 1, timeouts: HEALTH_TIMEOUTS, logger });
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
