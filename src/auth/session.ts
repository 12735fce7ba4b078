import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import type { Request, RequestHandler } from 'express';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { extendSession } from './sessions.repo.js';

declare module 'express-session' {
  interface SessionData {
    /** When this session signed in (ms since epoch), for the absolute lifetime. */
    createdAt?: number;
    /** Where to go after signing in (a local path). */
    returnTo?: string;
    /** A coarse description of the browser, for "your sessions". */
    device?: string;
    /** Password accepted, second factor awaited: who, where to go next, and since when. */
    pendingTwoFactor?: { userId: string; returnTo?: string; at: number; organisation?: { sid?: string } };
    /** Organisation sign-in under way: state, nonce and PKCE verifier, used once by the callback. */
    oidcPending?: import('./oidc/oidc.client.js').PendingOidc;
    /** Signed in with the organisation: the provider's session id (back-channel logout by sid). */
    oidcSid?: string;
    /** When this session signed in with the organisation (re-authentication for setting up two-factor). */
    organisationAt?: number;
    /** The organisation's sign-in used more than one factor: it stands in for SHaRON's own. */
    providerMfa?: boolean;
    /** A TOTP secret being enrolled (shown as a QR code until confirmed). */
    pendingTotpSecret?: string;
  }
}

export interface SessionParts {
  middleware: RequestHandler;
  /** The same session, read but never written: for Socket.IO's engine (see `readOnlyView`). */
  readOnly: RequestHandler;
  store: session.Store & { close(): void };
  cookieName: string;
}

/**
 * express-session on PostgreSQL. Rolling cookie = idle timeout (the row's expiry moves with
 * each request; an expired row is refused by the store). The absolute lifetime is enforced by
 * `enforceAbsoluteLifetime`.
 */
export function createSession(config: Config, pool: pg.Pool, secret: string): SessionParts {
  const PgStore = connectPgSimple(session);
  // Its only error log is a failed prune (the database away): the next prune, 15 minutes on,
  // tries again. The default, console.error, would put a stack trace outside the JSON log.
  const store = new PgStore({ pool, tableName: 'session', pruneSessionInterval: 15 * 60, errorLog: () => undefined });
  throttleTouch(store, touchResolutionMs(config.sessionIdleMs));
  const cookieName = config.isProduction ? '__Host-sharon' : 'sharon.sid';
  const options: session.SessionOptions = {
    name: cookieName,
    store,
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    proxy: config.trustProxy !== false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, path: '/', maxAge: config.sessionIdleMs },
  };
  const middleware = forgetUnreadSession(session(options));
  const readOnly = forgetUnreadSession(session({ ...options, store: new ReadOnlyView(store), rolling: false }));
  return { middleware, readOnly, store, cookieName };
}

/**
 * When the session cannot be read (the database away), the request goes on to the error handler
 * with no session; with `unset: 'destroy'`, express-session would then try to delete the cookie's
 * session row as the 503 page ended, fail again, and pass that error on after the page had begun:
 * Express then cut the connection, and the person got no page at all (about one request in four).
 * A session that was never read is neither ours to delete nor to save.
 */
function forgetUnreadSession(middleware: RequestHandler): RequestHandler {
  return (req, res, next) =>
    middleware(req, res, (err?: unknown) => {
      if (err) req.sessionID = undefined as unknown as string;
      next(err);
    });
}

/**
 * How stale a session's expiry may get before a request moves it: a minute, or a tenth of the idle
 * timeout when that is shorter. The idle timeout is kept to within this.
 */
export const touchResolutionMs = (idleMs: number): number => Math.min(60_000, idleMs / 10);

/**
 * Activity outside a page (a chat action) keeps the session alive: its expiry moves when it has
 * gone stale by more than the touch resolution, as a page's would, not on every action. Not
 * awaited by the caller; a failed touch is tried again by the next action.
 */
export function keepSessionAlive(db: Db, sid: string, expires: Date, idleMs: number, now = Date.now()): void {
  if (expires.getTime() < now + idleMs - touchResolutionMs(idleMs))
    void extendSession(db, sid, idleMs).catch(() => undefined);
}

/**
 * The session store as Socket.IO's engine sees it: it reads the session (the handshake needs the
 * person) but never writes it. express-session touches an unchanged session at the end of every
 * request, and long polling makes a request for every packet, so an idle tab on the polling
 * transport (or one receiving a busy room's messages) kept its session alive while a WebSocket
 * did not. Idle timeouts must not depend on the transport: only pages and chat actions count as
 * activity (chat actions touch the session themselves). Without a `touch` method express-session
 * never touches; with `rolling: false` and nothing changed it neither saves nor sets a cookie;
 * `set` and `destroy` are no-ops as a second line.
 */
class ReadOnlyView extends session.Store {
  constructor(private readonly inner: session.Store) {
    super();
  }

  override get(sid: string, done: (err: unknown, session?: session.SessionData | null) => void): void {
    this.inner.get(sid, done);
  }

  override set(_sid: string, _session: session.SessionData, done?: (err?: unknown) => void): void {
    done?.();
  }

  override destroy(_sid: string, done?: (err?: unknown) => void): void {
    done?.();
  }
}

/**
 * An unchanged session's expiry moves at most once a minute (or a tenth of the idle timeout) per
 * process, not with every request: one write fewer per page, and the idle timeout is still kept
 * to within that resolution. A changed session is always saved in full.
 */
function throttleTouch(store: session.Store, everyMs: number): void {
  const touch = store.touch?.bind(store);
  if (!touch) return;
  const last = new Map<string, number>();
  store.touch = (sid, sess, done) => {
    const now = Date.now();
    const at = last.get(sid);
    if (at !== undefined && now - at < everyMs) return done?.();
    if (last.size >= 50_000) last.clear();
    last.set(sid, now);
    touch(sid, sess, done);
  };
}

/** Ends a signed-in session that is older than the absolute lifetime, whatever its activity. */
export function enforceAbsoluteLifetime(maxAgeMs: number): RequestHandler {
  return (req, res, next) => {
    const created = req.session?.createdAt;
    if (created === undefined || Date.now() - created <= maxAgeMs) return next();
    req.session.destroy(() => {
      if (req.method === 'GET' && req.accepts('html')) return res.redirect(303, '/login?expired=1');
      res.status(401).json({ error: 'session_expired' });
    });
  };
}

/**
 * Persists the session now. Needed before a redirect whose next request depends on what was just
 * stored: express-session sends the response headers before its own save has finished.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));
}
