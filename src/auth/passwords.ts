import argon2 from 'argon2';
import pLimit from 'p-limit';
import { z } from 'zod';
import commonPasswords from 'fxa-common-password-list';
import { HttpError } from '../http/errors.js';

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password rules (SECURITY.md): 10 to 128 characters, no composition rules, paste allowed, and not
 * on the common-password list shipped with the app (Mozilla's, checked offline).
 */
export const NewPassword = z
  .string({ error: 'Enter a password' })
  .min(10, 'Your password must be at least 10 characters')
  .max(128, 'Your password must be 128 characters or fewer')
  .refine(
    (p) => !commonPasswords.test(p),
    'That password is too common and easy to guess. Try three or four random words',
  );

/**
 * Hashes a password with argon2id, unbounded: for command-line tools, seeds and the benchmark's
 * data. Requests hash and verify through a `PasswordHasher`.
 */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** True when the stored hash was made with weaker or different parameters. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, HASH_OPTIONS);
}

/** How long a refused request is asked to wait: the queue's work is about a second. */
const BUSY_RETRY_AFTER_SECONDS = 2;

/** Too many password checks at once: answered 503 with Retry-After, nothing was checked. */
export class PasswordHashingBusy extends HttpError {
  readonly retryAfterSeconds = BUSY_RETRY_AFTER_SECONDS;
  constructor() {
    super(503, 'busy');
    this.name = 'PasswordHashingBusy';
  }
}

/** What the hasher has done, for tests and diagnostics: running now, waiting, the most ever running, done, refused. */
export interface HashingStats {
  running: number;
  waiting: number;
  peakRunning: number;
  completed: number;
  refused: number;
}

/** argon2 for requests, bounded (see `createPasswordHasher`). */
export interface PasswordHasher {
  /** @throws PasswordHashingBusy */
  hash(password: string): Promise<string>;
  /**
   * Checks a password. With no stored hash (unknown account) it still verifies against a dummy
   * hash, so known and unknown usernames take the same time.
   * @throws PasswordHashingBusy
   */
  verify(hash: string | null, password: string): Promise<boolean>;
  stats(): HashingStats;
}

/**
 * argon2 with at most `concurrency` operations running in this process (hash, verify, and the
 * dummy hash for unknown accounts alike) and at most `queue` waiting; beyond that, at once,
 * PasswordHashingBusy. Each operation takes 19 MiB and a libuv thread for tens of milliseconds: a
 * burst of sign-ins would otherwise take every core and thread (file reads, DNS and zlib share the
 * pool) and every other request would wait behind it. One hasher per app, so one per process.
 */
export function createPasswordHasher(limits: { concurrency: number; queue: number }): PasswordHasher {
  const limit = pLimit(limits.concurrency);
  const counts = { running: 0, peakRunning: 0, completed: 0, refused: 0 };

  function bounded<T>(op: () => Promise<T>): Promise<T> {
    if (limit.activeCount + limit.pendingCount >= limits.concurrency + limits.queue) {
      counts.refused++;
      return Promise.reject(new PasswordHashingBusy());
    }
    return limit(async () => {
      counts.running++;
      counts.peakRunning = Math.max(counts.peakRunning, counts.running);
      try {
        return await op();
      } finally {
        counts.running--;
        counts.completed++;
      }
    });
  }

  // Made once, on first need, through the same bound; made again if that attempt was refused.
  let dummy: Promise<string> | undefined;
  const dummyHash = (): Promise<string> => {
    dummy ??= bounded(() => argon2.hash('not-a-real-password-0000', HASH_OPTIONS)).catch((e: unknown) => {
      dummy = undefined;
      throw e;
    });
    return dummy;
  };

  return {
    hash: (password) => bounded(() => argon2.hash(password, HASH_OPTIONS)),
    async verify(hash, password) {
      if (password.length > 128) return false;
      // A malformed stored hash is a wrong password, not an error; a refusal (busy) is passed on.
      const stored = hash ?? (await dummyHash());
      const ok = await bounded(() => argon2.verify(stored, password).catch(() => false));
      return hash !== null && ok;
    },
    stats: () => ({ ...counts, waiting: limit.pendingCount }),
  };
}
