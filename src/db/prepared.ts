import type { Knex } from 'knex';
import pg from 'pg';
import type { Db } from './knex.js';

type Slot = { param: string } | { value: unknown };

/**
 * Connections for prepared statements, one small pool per database, with generic plans forced:
 * every prepared query here looks rows up by key, and PostgreSQL's own choice kept re-planning
 * some of them on every call (planning cost more than running). Other queries keep the default.
 */
const pools = new WeakMap<object, pg.Pool>();

type KnexClient = { config: { connection: pg.ClientConfig }; destroy(cb?: unknown): Promise<void> };

function poolFor(db: Db): pg.Pool {
  const client = db.client as KnexClient;
  let pool = pools.get(client);
  if (!pool) {
    // The same settings (and so the same timeouts) as the knex pool's connections.
    const created = new pg.Pool({
      ...client.config.connection,
      max: 6,
      application_name: 'sharon-prepared',
      options: '-c plan_cache_mode=force_generic_plan -c random_page_cost=1.1',
    });
    // An idle connection's error (PostgreSQL restarted, the connection was reaped): pg-pool has
    // already dropped it and the next query reconnects. Without a listener it would end the process.
    created.on('error', () => undefined);
    pools.set(client, created);
    // db.destroy() ends this pool too.
    const destroy = client.destroy.bind(client);
    client.destroy = async (cb?: unknown) => {
      pools.delete(client);
      await created.end();
      return destroy(cb);
    };
    pool = created;
  }
  return pool;
}

/**
 * A hot query as a named prepared statement. Its SQL is compiled by knex once, with a token in
 * place of each parameter; each call then sends only the values, and PostgreSQL reuses the plan.
 * (Planning the chat message's context query took longer than running it: measured with
 * `npm run bench`.) Parameters must stand for values only, never for SQL structure (knex checks
 * limits and offsets: keep those constant). Inside a transaction it runs on the transaction's
 * connection.
 */
export function preparedQuery<P extends Record<string, string | number | null>>(
  name: string,
  build: (db: Db, params: P) => Knex.QueryBuilder | Knex.Raw,
) {
  let compiled: { text: string; slots: Slot[] } | undefined;
  return async function run(db: Db, params: P): Promise<Record<string, unknown>[]> {
    if (!compiled) {
      const tokens: Record<string, string> = {};
      const byToken = new Map<string, string>();
      for (const key of Object.keys(params)) {
        tokens[key] = `\u0001${name}:${key}\u0001`;
        byToken.set(tokens[key], key);
      }
      const native = build(db, tokens as P)
        .toSQL()
        .toNative();
      compiled = {
        text: native.sql,
        slots: native.bindings.map((b) => {
          const param = typeof b === 'string' ? byToken.get(b) : undefined;
          return param !== undefined ? { param } : { value: b };
        }),
      };
    }
    const query = {
      name,
      text: compiled.text,
      values: compiled.slots.map((s) => ('param' in s ? params[s.param] : s.value)),
    };
    if (db.isTransaction) {
      const conn = (await db.client.acquireConnection()) as pg.PoolClient;
      return (await conn.query(query)).rows;
    }
    return (await poolFor(db).query(query)).rows;
  };
}
