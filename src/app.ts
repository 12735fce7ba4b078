import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type pg from 'pg';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import type { Logger } from './log.js';
import { createSession, enforceAbsoluteLifetime, type SessionParts } from './auth/session.js';
import { createPassport } from './auth/passport.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { authRoutes } from './auth/auth.routes.js';
import { buildingRoutes } from './building/building.routes.js';
import { keysRoutes } from './keys/keys.routes.js';
import { membersRoutes } from './members/members.routes.js';
import { adminSubnetRoutes } from './admin/subnets.routes.js';
import { adminAccountRoutes } from './admin/accounts.routes.js';
import { healthRoutes } from './http/health.routes.js';
import { errorHandler } from './http/error-handler.js';
import { csrfProtection, noStore, sameOrigin, securityHeaders } from './http/security.js';
import { notFound } from './http/errors.js';
import { pageLocals } from './http/page-locals.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  config: Config;
  db: Db;
  /** A pg pool for the session store. */
  sessionPool: pg.Pool;
  sessionSecret: string;
  logger: Logger;
}

export interface App {
  app: Express;
  session: SessionParts;
}

/** Builds the Express app. It never listens: server.ts and the tests do that. */
export function createApp({ config, db, sessionPool, sessionSecret, logger }: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  if (config.isProduction) app.set('view cache', true);

  app.use((_req, res, next) => {
    res.locals.requestId = randomUUID();
    next();
  });
  app.use(securityHeaders(config.isProduction));
  const staticOpts = { index: false, maxAge: config.isProduction ? '1d' : 0 };
  const nhsuk = path.join(ROOT, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
  app.use('/assets', express.static(path.join(nhsuk, 'assets'), staticOpts));
  app.get(['/nhsuk/nhsuk-frontend.min.css', '/nhsuk/nhsuk-frontend.min.js'], (req, res) => res.sendFile(path.join(nhsuk, path.basename(req.path)), staticOpts));
  app.use('/public', express.static(path.join(ROOT, 'public'), staticOpts));
  app.use(healthRoutes({ db }));

  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '32kb' }));
  const session = createSession(config, sessionPool, sessionSecret);
  const passport = createPassport(db);
  app.use(session.middleware, enforceAbsoluteLifetime(config.sessionAbsoluteMs), passport.initialize(), passport.session());
  app.use(noStore);
  app.use(sameOrigin(config.publicOrigin ? [config.publicOrigin] : []));
  const csrf = csrfProtection();
  app.use(csrf.protect, csrf.exposeToken, pageLocals);

  app.use(authRoutes({ db, passport, throttle: createLoginThrottle(db) }));
  app.use(keysRoutes({ db, config }));
  app.use(buildingRoutes({ db }));
  app.use(membersRoutes({ db }));
  app.use(adminSubnetRoutes({ db }));
  app.use(adminAccountRoutes({ db }));
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(db, logger));
  return { app, session };
}
