import { BackupError } from './backup.js';
import { lastErrorLine, runProcess, type Finished } from './processes.js';

/**
 * Talking to restic: the repository and password go to it through its environment
 * (RESTIC_REPOSITORY, RESTIC_PASSWORD or RESTIC_PASSWORD_FILE), never on its command line, and
 * never into a message of ours. Every snapshot SHaRON makes carries the tag `sharon` and one of
 * `db` (the pg_dump, as /sharon.dump) or `uploads` (the upload directory's files); the two
 * snapshots of one backup share the same time, which is how a restore finds the uploads of a
 * database snapshot.
 */
export interface ResticSettings {
  readonly repository: string;
  readonly password?: string;
  readonly passwordFile?: string;
}

export const TAG = 'sharon';
export const DB_TAGS = `${TAG},db`;
export const UPLOADS_TAGS = `${TAG},uploads`;
export const DUMP_NAME = 'sharon.dump';

/** A snapshot as `restic snapshots --json` lists it. */
export interface Snapshot {
  id: string;
  short_id: string;
  time: string;
  paths: string[];
  tags?: string[];
}

/** The two snapshots of one SHaRON backup. */
export interface BackupSet {
  db: Snapshot;
  uploads: Snapshot;
}

/** restic's environment: ours with the repository and exactly one way to the password. */
export function resticEnv(settings: ResticSettings, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, RESTIC_REPOSITORY: settings.repository };
  delete env.RESTIC_PASSWORD;
  delete env.RESTIC_PASSWORD_FILE;
  delete env.RESTIC_PASSWORD_COMMAND;
  delete env.RESTIC_REPOSITORY_FILE;
  if (settings.passwordFile) env.RESTIC_PASSWORD_FILE = settings.passwordFile;
  else if (settings.password) env.RESTIC_PASSWORD = settings.password;
  return env;
}

/**
 * One line for a restic run that failed: restic missing, a wrong password, no repository at the
 * address, or restic's own last fatal line.
 */
export function resticFailure(f: Finished): BackupError {
  if (f.spawnError)
    return new BackupError(
      `restic could not run (${f.spawnError.message}). Install restic (Debian: apt-get install restic).`,
    );
  const fatal = f.stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(Fatal:|Resolving password failed)/.test(l));
  if (fatal && /wrong password/.test(fatal))
    return new BackupError('restic: wrong password or no key found (check RESTIC_PASSWORD or RESTIC_PASSWORD_FILE).');
  if (fatal && /unable to open config file|repository does not exist/.test(fatal))
    return new BackupError(
      `restic: there is no repository at RESTIC_REPOSITORY (${fatal.replace(/^Fatal:\s*/, '')}); create it once with \`restic init\`.`,
    );
  return new BackupError(`restic failed: ${(fatal ?? lastErrorLine(f)).replace(/^Fatal:\s*/, '')}`);
}

/** Runs restic to its end; @throws BackupError (one line) unless it exits 0. */
export async function restic(
  settings: ResticSettings,
  args: readonly string[],
  base: NodeJS.ProcessEnv = process.env,
): Promise<Finished> {
  const f = await runProcess('restic', args, { env: resticEnv(settings, base) });
  if (f.code !== 0) throw resticFailure(f);
  return f;
}

/** Every snapshot SHaRON made in the repository, oldest first. @throws BackupError */
export async function listSnapshots(settings: ResticSettings): Promise<Snapshot[]> {
  const f = await restic(settings, ['snapshots', '--json', '--tag', TAG]);
  const parsed: unknown = JSON.parse(f.stdout || '[]');
  if (!Array.isArray(parsed)) throw new BackupError('restic listed its snapshots in a form SHaRON does not know.');
  return (parsed as Snapshot[]).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

const hasTag = (s: Snapshot, tag: string) => (s.tags ?? []).includes(tag);

/**
 * The backup a restore asks for: `latest` (the newest database snapshot) or a snapshot id (full or
 * a prefix of at least 8 characters, of either snapshot of the backup), with its partner.
 * @throws BackupError when it does not exist, is ambiguous, or its partner is missing.
 */
export function resolveBackupSet(snapshots: readonly Snapshot[], ref: string): BackupSet {
  const dbs = snapshots.filter((s) => hasTag(s, 'db'));
  let chosen: Snapshot | undefined;
  if (ref === 'latest') {
    chosen = dbs.at(-1);
    if (!chosen) throw new BackupError('The restic repository holds no SHaRON backup yet.');
  } else {
    const id = ref.toLowerCase();
    const matches = snapshots.filter((s) => s.id.startsWith(id));
    if (matches.length > 1) throw new BackupError(`Snapshot id ${ref} is ambiguous: give more of it.`);
    chosen = matches[0];
    if (!chosen)
      throw new BackupError(`No SHaRON snapshot ${ref} in the repository (list them: restic snapshots --tag sharon).`);
  }
  const at = Date.parse(chosen.time);
  const db = hasTag(chosen, 'db') ? chosen : dbs.find((s) => Date.parse(s.time) === at);
  const uploads = snapshots.find((s) => hasTag(s, 'uploads') && Date.parse(s.time) === at);
  if (!db || !uploads)
    throw new BackupError(
      `Snapshot ${chosen.short_id} is not part of a complete SHaRON backup (a database and an uploads snapshot of the same time).`,
    );
  return { db, uploads };
}
