import type { Knex } from 'knex';
import type pg from 'pg';
import type { Db } from './knex.js';

type Slot = { param: string } | { value: unknown };

/**
 * A hot query as a named prepared statement. Its SQL is compiled by knex once, with a token in
 * place of each parameter; each call then sends only the values, and PostgreSQL reuses the plan.
 * (Planning the chat message's context query took longer than running it: measured with
 * `npm run bench`.) Parameters must stand for values only, never for SQL structure.
 */
export function preparedQuery<P extends Record<string, string | number | null>>(name: string, build: (db: Db, params: P) => Knex.QueryBuilder | Knex.Raw) {
  let compiled: { text: string; slots: Slot[] } | undefined;
  return async function run(db: Db, params: P): Promise<Record<string, unknown>[]> {
    if (!compiled) {
      const tokens: Record<string, string> = {};
      const byToken = new Map<string, string>();
      for (const key of Object.keys(params)) {
        tokens[key] = `\u0001${name}:${key}\u0001`;
        byToken.set(tokens[key], key);
      }
      const native = build(db, tokens as P).toSQL().toNative();
      compiled = {
        text: native.sql,
        slots: native.bindings.map((b) => {
          const param = typeof b === 'string' ? byToken.get(b) : undefined;
          return param !== undefined ? { param } : { value: b };
        }),
      };
    }
    const { text, slots } = compiled;
    const values = slots.map((s) => ('param' in s ? params[s.param] : s.value));
    const conn = (await db.client.acquireConnection()) as pg.PoolClient;
    try {
      return (await conn.query({ name, text, values })).rows;
    } finally {
      await db.client.releaseConnection(conn);
    }
  };
}
