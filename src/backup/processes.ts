import { spawn, type ChildProcess } from 'node:child_process';
import { pipeline } from 'node:stream/promises';

/** How a spawned program ended: its exit code (null when it never ran or was killed) and what it said. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (not installed, not executable). */
  spawnError?: Error;
}

export interface Started {
  child: ChildProcess;
  done: Promise<Finished>;
}

/**
 * Starts a program with an argument array (never a shell) and the environment given. Output not
 * handed to another process is collected (stdout up to 1 MB, stderr up to 64 KB: enough for JSON
 * listings and error lines). `done` never rejects: a program that cannot start resolves with
 * `spawnError`.
 */
export function startProcess(
  cmd: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; stdin?: 'pipe' | 'ignore'; collectStdout?: boolean },
): Started {
  const child = spawn(cmd, [...args], {
    cwd: opts.cwd,
    env: opts.env,
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (opts.collectStdout !== false)
    child.stdout?.on('data', (d: Buffer) => {
      if (stdout.length < 1_000_000) stdout += d.toString();
    });
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 65_536) stderr += d.toString();
  });
  // A reader that went away must not become an uncaught EPIPE: exit codes tell what happened.
  child.stdin?.on('error', () => undefined);
  const done = new Promise<Finished>((resolve) => {
    child.on('error', (e) => resolve({ code: null, stdout, stderr, spawnError: e }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

/** Runs a program to its end. */
export function runProcess(
  cmd: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string },
): Promise<Finished> {
  return startProcess(cmd, args, opts).done;
}

/**
 * Streams `from`'s stdout into `to`'s stdin and waits for both to end. When `to` fails, `from` is
 * stopped, so it never waits forever on a pipe nobody reads; when `from` fails, `to` reads the end
 * of its input and finishes by itself (the caller judges what it made of the short input).
 */
export async function pipeProcesses(from: Started, to: Started): Promise<[Finished, Finished]> {
  const { stdout } = from.child;
  const { stdin } = to.child;
  if (!stdout || !stdin) throw new Error('pipeProcesses needs a piped stdout and stdin');
  const piping = pipeline(stdout, stdin).catch(() => undefined);
  const consumer = to.done.then((f) => {
    if (f.code !== 0 && from.child.exitCode === null) from.child.kill('SIGTERM');
    return f;
  });
  const result = await Promise.all([from.done, consumer]);
  await piping;
  return result;
}

/** The last meaningful line a program wrote to stderr, for a one-line error. */
export function lastErrorLine(f: Finished): string {
  const lines = f.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.at(-1) ?? (f.code === null ? 'it was stopped' : `exit code ${f.code}`);
}

/**
 * A PostgreSQL URL split for pg_dump and pg_restore: the URL without its password (for the command
 * line, which other users of the machine can read) and the password in PGPASSWORD.
 */
export function pgConnection(databaseUrl: string, base: NodeJS.ProcessEnv): { dbname: string; env: NodeJS.ProcessEnv } {
  const env = withoutResticSecrets(base);
  const u = new URL(databaseUrl);
  if (u.password) {
    env.PGPASSWORD = decodeURIComponent(u.password);
    u.password = '';
  }
  return { dbname: u.toString(), env };
}

/** A copy of an environment without restic's password variables (pg_dump and pg_restore need none). */
export function withoutResticSecrets(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...base };
  delete env.RESTIC_PASSWORD;
  delete env.RESTIC_PASSWORD_FILE;
  delete env.RESTIC_PASSWORD_COMMAND;
  return env;
}
