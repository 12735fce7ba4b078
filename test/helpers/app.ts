import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { inject } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { attachRealtime, createApp, type App } from '../../src/app.js';
import type { Server as SocketServer } from 'socket.io';
import { loadConfig, type Config } from '../../src/config.js';
import { createAdapterPool, createHealthPool, createSessionPool } from '../../src/db/open.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Db } from '../../src/db/knex.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { DEMO_PASSWORD } from './constants.js';
import { nextStep, STAFF, totpClock, totpCode } from './totp.js';

export { DEMO_PASSWORD };

export interface TestApp {
  app: http.RequestListener;
  db: Db;
  config: Config;
  database: TestDatabase;
  /** A server listening on 127.0.0.1 with Socket.IO attached (for browsers and sockets). */
  listen(opts?: { adapter?: boolean; port?: number }): Promise<string>;
  io(): SocketServer | undefined;
  realtime: App['realtime'];
  /** The app's bounded argon2 (its stats show what ran). */
  passwords: App['passwords'];
  close(): Promise<void>;
}

/** The real app on its own database, as server.ts builds it. */
export async function startTestApp(
  env: Record<string, string> = {},
  shared?: TestDatabase,
  opts: { logger?: Logger } = {},
): Promise<TestApp> {
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    UPLOAD_DIR: inject('uploadDir'),
    ...env,
  });
  const logger = opts.logger ?? createLogger(process.env.TEST_LOG === '1' ? 'info' : 'silent');
  const sessionPool = createSessionPool(database.url, logger, config.database);
  const healthPool = createHealthPool(database.url, logger);
  const built = createApp({
    config,
    db: database.db,
    sessionPool,
    healthPool,
    sessionSecret: 'test-secret-test-secret-test-secret',
    logger,
    clock: totpClock.now,
  });
  const { app, session } = built;
  let server: http.Server | undefined;
  let io: SocketServer | undefined;
  let adapterPool: ReturnType<typeof createAdapterPool> | undefined;
  return {
    app,
    db: database.db,
    database,
    config,
    io: () => io,
    realtime: built.realtime,
    passwords: built.passwords,
    async listen(opts = {}) {
      server = http.createServer(app);
      adapterPool = opts.adapter ? createAdapterPool(database.url, logger, config.database) : undefined;
      io = attachRealtime(server, built, { config, logger, adapterPool, sweepMs: 300 });
      await new Promise<void>((resolve) => server?.listen(opts.port ?? 0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      if (io) await new Promise<void>((resolve) => io?.close(() => resolve()));
      if (server?.listening) {
        server.closeAllConnections();
        await new Promise((resolve) => server?.close(resolve));
      }
      session.store.close();
      await Promise.all([sessionPool.end(), healthPool.end(), adapterPool?.end()]);
      if (!shared) await database.drop();
    },
  };
}

/** The CSRF token of the form on a page. */
export async function csrfFrom(agent: TestAgent, path: string): Promise<string> {
  const res = await agent.get(path);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!m?.[1]) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return m[1];
}

// Staff sign in with a TOTP code, and a code works once: a staff sign-in is kept per app and
// reused (as a fresh agent carrying the same cookie) while its session is alive.
const staffCookies = new WeakMap<http.RequestListener, Map<string, string>>();

/** A signed-in agent for a username (staff pass the second factor with the demo TOTP key). */
export async function signIn(
  app: http.RequestListener,
  username: string,
  password = DEMO_PASSWORD,
): Promise<TestAgent> {
  const cached = STAFF.has(username) && password === DEMO_PASSWORD ? staffCookies.get(app)?.get(username) : undefined;
  if (cached) {
    const agent = request.agent(app);
    agent.jar.setCookies([cached]);
    if ((await agent.get('/account')).status === 200) return agent;
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    const agent = request.agent(app);
    const _csrf = await csrfFrom(agent, '/login');
    const res = await agent.post('/login').type('form').send({ _csrf, username, password });
    if (res.status === 303 && res.headers.location === '/') return agent;
    if (res.status !== 303 || res.headers.location !== '/login/two-factor')
      throw new Error(`sign-in as ${username} failed: ${res.status}`);
    const tok = await csrfFrom(agent, '/login/two-factor');
    const second = await agent
      .post('/login/two-factor')
      .type('form')
      .send({ _csrf: tok, code: await totpCode() });
    if (second.status === 303) {
      const cookie = String(second.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      if (!staffCookies.has(app)) staffCookies.set(app, new Map());
      if (password === DEMO_PASSWORD) staffCookies.get(app)?.set(username, cookie);
      return agent;
    }
    nextStep(); // this step's code was used by an earlier sign-in
  }
  throw new Error(`two-factor sign-in as ${username} failed`);
}

/** Posts a form with a fresh CSRF token taken from `tokenPage`. */
export async function postForm(
  agent: TestAgent,
  path: string,
  body: Record<string, string | string[]>,
  tokenPage = '/',
): Promise<request.Response> {
  const _csrf = await csrfFrom(agent, tokenPage);
  return agent
    .post(path)
    .type('form')
    .send({ ...body, _csrf });
}
