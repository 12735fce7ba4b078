import { ConfigError } from '../config.js';

/** What a command has opened, to be closed when it ends. */
export interface CommandScope {
  /** Runs `close` when the command ends, however it ends; the newest first. */
  defer(close: () => Promise<unknown>): void;
}

// Closing is bounded: a pool still waiting on a silent server must not keep a failed command alive.
const CLOSE_MS = 15_000;
// Once everything is closed the process should end by itself; a stray handle gets this long.
const EXIT_GRACE_MS = 3_000;

/**
 * Runs a command-line command's `main` and makes its exit status tell the truth: 0 when it
 * completed, 1 when anything failed (a throw, a rejection nobody handled, a failure while closing),
 * with exactly one line `<what failed>: <message>` on stderr and no stack. What `main` deferred is
 * closed either way. After a failure, nothing (a stray `process.exit(0)`, a beforeExit hook) can
 * turn the exit code back into 0, and the process ends even if a handle lingers.
 */
export async function runCommand(whatFailed: string, main: (scope: CommandScope) => Promise<void>): Promise<void> {
  const closers: (() => Promise<unknown>)[] = [];
  let failed = false;
  const fail = (e: unknown) => {
    if (!failed) process.stderr.write(`${whatFailed}: ${describeError(e)}\n`);
    failed = true;
    process.exitCode = 1;
  };
  process.on('exit', () => {
    if (failed) process.exitCode = 1;
  });
  let abort: (e: unknown) => void = fail;
  const aborted = new Promise<never>((_resolve, reject) => {
    abort = reject;
  });
  const onStray = (e: unknown) => {
    fail(e);
    abort(e);
  };
  process.on('uncaughtException', onStray);
  process.on('unhandledRejection', onStray);

  try {
    await Promise.race([main({ defer: (close) => closers.push(close) }), aborted]);
  } catch (e) {
    fail(e);
  }
  await closeAll(closers.reverse(), fail);
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

async function closeAll(closers: (() => Promise<unknown>)[], fail: (e: unknown) => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_MS);
  });
  const closing = (async () => {
    for (const close of closers) await close().catch(fail);
  })();
  await Promise.race([closing, timeout]);
  clearTimeout(timer);
}

/**
 * One line for a thrown value: the first line of its message. A ConfigError keeps all its lines,
 * one per invalid variable; an AggregateError without a message (a refused connection to a host
 * with several addresses) gives its errors' messages.
 */
export function describeError(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  return firstLine(messageOf(e)) || 'unknown error';
}

function messageOf(e: unknown): string {
  if (e instanceof AggregateError && !e.message) return [...new Set(e.errors.map(messageOf))].join('; ');
  if (e instanceof Error) return e.message || codeOf(e) || e.name;
  if (typeof e === 'string') return e;
  return `a non-error value was thrown (${typeof e})`;
}

function codeOf(e: Error): string | undefined {
  return 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}
