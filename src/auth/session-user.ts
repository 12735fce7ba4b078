import type session from 'express-session';
import type pg from 'pg';
import type { Db } from '../db/knex.js';
import { sessionUserQuery, toSessionUser } from './users.repo.js';
import type { SessionUser } from '../people/person.js';

/**
 * Reads the signed-in person in the same query as their session, so that a page costs one round
 * trip fewer (every signed-in request loaded the session, then the person: measured with
 * `npm run bench`). The store's `get` keeps the person for the request's passport step, which
 * takes them (`take`); nothing about them is written into the session.
 */
export interface SessionUserPreload {
  take(sid: string, userId: string): SessionUser | undefined;
}

const KEEP_MS = 5_000;
const MAX_KEPT = 5_000;

export function preloadUserWithSession(store: session.Store, db: Db, pool: pg.Pool): SessionUserPreload {
  // The person whose id the session names (a malformed id names nobody, rather than failing).
  const userId = db.raw(
    `CASE WHEN (s.sess -> 'passport' ->> 'user') ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (s.sess -> 'passport' ->> 'user')::uuid END`,
  );
  const person = sessionUserQuery(db, userId).toSQL().toNative();
  if (person.bindings.length > 0) throw new Error('the session-user query must take no parameters');
  const text = `SELECT s.sess, (SELECT row_to_json(x) FROM (${person.sql}) x) AS person FROM session s WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;
  const kept = new Map<string, { user: SessionUser; at: number }>();

  store.get = (sid, done) => {
    pool.query({ name: 'session_with_user', text, values: [sid, Math.floor(Date.now() / 1000)] }).then(
      ({ rows }) => {
        const row = rows[0] as
          { sess: session.SessionData | string; person: Record<string, unknown> | null } | undefined;
        if (!row) return done(null, null);
        if (row.person) {
          if (kept.size >= MAX_KEPT) kept.delete(kept.keys().next().value as string);
          kept.set(sid, { user: toSessionUser(row.person), at: Date.now() });
        }
        let sess: session.SessionData;
        try {
          sess = typeof row.sess === 'string' ? (JSON.parse(row.sess) as session.SessionData) : row.sess;
        } catch {
          return store.destroy(sid, () => done(null, null));
        }
        done(null, sess);
      },
      (e: unknown) => done(e),
    );
  };

  return {
    take(sid, id) {
      const k = kept.get(sid);
      kept.delete(sid);
      return k && k.user.id === id && Date.now() - k.at < KEEP_MS ? k.user : undefined;
    },
  };
}
