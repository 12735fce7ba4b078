import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Request } from 'express';
import type { Db } from '../db/knex.js';
import type { SessionUserPreload } from './session-user.js';
import { isActive } from '../policy/index.js';
import { needsRehash, PasswordHashingBusy, type PasswordHasher } from './passwords.js';
import { findLoginByUsername, findSessionUser, touchLastSeen, updatePasswordHash } from './users.repo.js';
import type { SessionUser } from '../people/person.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
  }
}

const LAST_SEEN_RESOLUTION_MS = 5 * 60_000;

/** Why a sign-in failed, for the page (generic) and the audit log (specific). */
export type LoginFailure = { message: string; reason: 'bad_credentials' | 'account_inactive'; userId: string | null };

/**
 * A passport instance of our own (no global state shared between apps in one process).
 * The session holds only the user id; every request reloads the person and their memberships,
 * so a suspension or a cohort change applies at once to sessions already open.
 */
export function createPassport(db: Db, passwords: PasswordHasher, preload?: SessionUserPreload): PassportStatic {
  const p = new passport.Passport() as PassportStatic;
  p.use(
    new LocalStrategy({ usernameField: 'username', passwordField: 'password' }, (username, password, done) => {
      authenticate(db, passwords, username, password).then((r) => done(null, r.user ?? false, r.failure), done);
    }),
  );
  p.serializeUser<string>((user, done) => done(null, user.id));
  p.deserializeUser<string, Request>((req, id, done) => {
    // Usually read with the session itself (session-user.ts); otherwise loaded now.
    const preloaded = req.sessionID ? preload?.take(req.sessionID, id) : undefined;
    (preloaded ? Promise.resolve(preloaded) : findSessionUser(db, id))
      .then(async (user) => {
        if (!user || !isActive(user)) return done(null, false);
        // "Last seen" is kept to five minutes: no write on every request.
        if (!user.lastSeenAt || Date.now() - user.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS)
          await touchLastSeen(db, user.id);
        done(null, user);
      })
      .catch(done);
  });
  return p;
}

/** @throws PasswordHashingBusy when too many passwords are being checked (nothing was decided). */
async function authenticate(
  db: Db,
  passwords: PasswordHasher,
  username: string,
  password: string,
): Promise<{ user?: SessionUser; failure?: LoginFailure }> {
  const login = await findLoginByUsername(db, username);
  const ok = await passwords.verify(login?.passwordHash ?? null, password);
  if (!login || !ok)
    return { failure: { message: 'bad_credentials', reason: 'bad_credentials', userId: login?.id ?? null } };
  if (login.status !== 'active')
    return { failure: { message: 'account_inactive', reason: 'account_inactive', userId: login.id } };
  if (login.passwordHash && needsRehash(login.passwordHash)) {
    // The rehash can wait for a quieter sign-in: a busy hasher does not refuse a right password.
    const rehashed = await passwords.hash(password).catch((e: unknown) => {
      if (e instanceof PasswordHashingBusy) return null;
      throw e;
    });
    if (rehashed) await updatePasswordHash(db, login.id, rehashed);
  }
  const user = await findSessionUser(db, login.id);
  return user ? { user } : { failure: { message: 'bad_credentials', reason: 'bad_credentials', userId: null } };
}
