import argon2 from 'argon2';
import { z } from 'zod';
import commonPasswords from 'fxa-common-password-list';

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
  .refine((p) => !commonPasswords.test(p), 'That password is too common and easy to guess. Try three or four random words');

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

/** True when the stored hash was made with weaker or different parameters. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, HASH_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Checks a password. With no stored hash (unknown account) it still verifies against a dummy
 * hash, so known and unknown usernames take the same time.
 */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (password.length > 128) return false;
  if (hash === null) {
    dummyHash ??= argon2.hash('not-a-real-password-0000', HASH_OPTIONS);
    await argon2.verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return argon2.verify(hash, password).catch(() => false);
}
