import { randomBytes } from 'node:crypto';
import signature from 'cookie-signature';
import type { Db } from '../src/db/knex.js';

/**
 * Signed-in sessions for benchmark members, written straight into the session store as a sign-in
 * would leave them (passport user, createdAt, device). Signing in 5,000 members through argon2
 * would measure the password hash, not the thing under test.
 */
export async function mintSessions(
  db: Db,
  userIds: string[],
  opts: { secret: string; cookieName: string; idleMs: number },
): Promise<string[]> {
  const now = Date.now();
  const expires = new Date(now + opts.idleMs);
  const rows = userIds.map((user) => ({
    sid: randomBytes(24).toString('base64url'),
    sess: JSON.stringify({
      cookie: {
        originalMaxAge: opts.idleMs,
        expires: expires.toISOString(),
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
        secure: opts.cookieName.startsWith('__Host-'),
      },
      passport: { user },
      createdAt: now,
      device: 'Benchmark client',
    }),
    expire: expires,
  }));
  for (let i = 0; i < rows.length; i += 1000) await db('session').insert(rows.slice(i, i + 1000));
  return rows.map((r) => `${opts.cookieName}=${encodeURIComponent(`s:${signature.sign(r.sid, opts.secret)}`)}`);
}
