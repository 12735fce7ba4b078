import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type pg from 'pg';
import type { Config } from './config.js';
import type { Db } from './db/knex.js';
import type { Logger } from './log.js';
import { createSession, enforceAbsoluteLifetime, type SessionParts } from './auth/session.js';
import { createPassport } from './auth/passport.js';
import { createPasswordHasher, type PasswordHasher } from './auth/passwords.js';
import { preloadUserWithSession } from './auth/session-user.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { authRoutes } from './auth/auth.routes.js';
import { createOidcClient, type OidcClient } from './auth/oidc/oidc.client.js';
import { oidcLogoutRoute, oidcRoutes } from './auth/oidc/oidc.routes.js';
import { buildingRoutes } from './building/building.routes.js';
import { workspaceRoutes } from './workspace/workspace.routes.js';
import { keysRoutes } from './keys/keys.routes.js';
import { membersRoutes } from './members/members.routes.js';
import { fhirRoutes } from './measures/fhir.routes.js';
import { adminSubnetRoutes } from './admin/subnets.routes.js';
import { adminAccountRoutes } from './admin/accounts.routes.js';
import { healthRoutes } from './http/health.routes.js';
import { installRoutes } from './install/install.routes.js';
import { errorHandler } from './http/error-handler.js';
import { requestLog } from './http/request-log.js';
import { multipartOnlyTo } from './http/multipart.js';
import { csrfProtection, noStore, sameOrigin, securityHeaders } from './http/security.js';
import { notFound } from './http/errors.js';
import { pageLocals } from './http/page-locals.js';
import { createFormatters } from './http/format.js';
import { createRealtime, type Realtime } from './realtime/realtime.js';
import type { ChatDeps } from './chat/chat.service.js';
import { chatRoutes } from './chat/chat.routes.js';
import { messageModerationRoutes } from './chat/message-moderation.routes.js';
import { roomRoutes } from './rooms/room.routes.js';
import { LIBRARY_UPLOAD_PATHS, libraryEditorRoutes, libraryRoutes } from './library/library.routes.js';
import { TELEVISION_UPLOAD_PATHS, televisionEditorRoutes, televisionRoutes } from './television/television.routes.js';
import { filesRoutes } from './files/files.routes.js';
import { noticeboardRoutes } from './noticeboard/noticeboard.routes.js';
import { careTeamRoutes } from './care-team/care-team.routes.js';
import { notificationsRoutes, unreadCountLocals } from './notifications/notifications.routes.js';
import { dutyRoutes } from './safety/duty.routes.js';
import { surveysRoutes } from './surveys/surveys.routes.js';
import { MEASURES_UPLOAD_PATHS, measuresRoutes } from './measures/measures.routes.js';
import { crisisContacts } from './safety/crisis-contacts.js';
import { evaluationRoutes } from './evaluation/evaluation.routes.js';
import { accountRoutes } from './account/account.routes.js';
import { progressRoutes } from './measures/progress.routes.js';
import { requireTwoFactorForStaff, twoFactorRoutes } from './account/two-factor.routes.js';
import { moderationRoutes } from './moderation/moderation.routes.js';
import { watchedWordsRoutes } from './moderation/watched-words.routes.js';
import { createSocketServer } from './realtime/socket-server.js';
import { registerChatHandlers } from './chat/chat.socket.js';
import { limitConnections } from './realtime/connection-limits.js';
import type http from 'node:http';
import type { Server as SocketServer } from 'socket.io';
import { compressText, precompress, sendPrecompressed, type Precompressed } from './http/compression.js';
import { declareTemplateLocals, VIEW_OPTIONS } from './http/view-locals.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppDeps {
  config: Config;
  db: Db;
  /** A pg pool for the session store. */
  sessionPool: pg.Pool;
  /** A one-connection pool with short limits for /healthz. */
  healthPool: pg.Pool;
  sessionSecret: string;
  logger: Logger;
  /**
   * The clock two-factor codes are checked against. Only tests pass one (so they never wait for a
   * fresh 30-second step); the default is the system clock.
   */
  clock?: () => Date;
}

export interface App {
  app: Express;
  session: SessionParts;
  realtime: Realtime;
  chat: ChatDeps;
  /** argon2 for requests, bounded per process (its stats are read by tests). */
  passwords: PasswordHasher;
}

/** EJS views and the locals every page reads. */
function useViews(app: Express, config: Config): void {
  app.set('view engine', 'ejs');
  app.set('views', path.join(ROOT, 'views'));
  // Includes name their file from the views folder ('/partials/top'): EJS resolves such a path
  // without checking the disk on every include, as it does for a relative one.
  // Compiled without `with` (src/http/view-locals.ts); in production without line tracking.
  declareTemplateLocals();
  app.set('view options', { root: path.join(ROOT, 'views'), ...VIEW_OPTIONS, compileDebug: !config.isProduction });
  if (config.isProduction) app.set('view cache', true);
  app.locals.fmt = createFormatters(config.safety.timeZone);
  // Every page shows crisis contacts through one partial, which reads them from here (UK defaults first).
  app.locals.crisisContacts = crisisContacts;
  // The sign-in page's staff button, when organisation sign-in (OpenID Connect) is configured.
  app.locals.organisationSignIn = config.oidc?.buttonText;
}

/** The design system's assets, our own CSS and scripts, and the favicon: static, before sessions. */
let nhsukCss: Precompressed | undefined;

function serveAssets(app: Express, config: Config): void {
  const staticOpts = { index: false, maxAge: config.isProduction ? '1d' : 0 };
  const nhsuk = path.join(ROOT, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
  app.use('/assets', express.static(path.join(nhsuk, 'assets'), staticOpts));
  // The design system's CSS without its @font-face rules, which load fonts from assets.nhs.uk:
  // SHaRON makes no third-party requests and must run on a closed network (Arial is the fallback).
  // Compressed once per process (277 KiB raw, about 23 KiB as brotli; brotli 11 takes about half a
  // second, which every app built in the same process, as the tests build many, would otherwise pay).
  nhsukCss ??= precompress(
    readFileSync(path.join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8').replace(/@font-face\{[^}]*\}/g, ''),
  );
  const css = nhsukCss;
  app.get('/nhsuk/nhsuk-frontend.min.css', (req, res) =>
    sendPrecompressed(
      req,
      res.type('css').set('Cache-Control', config.isProduction ? 'public, max-age=86400' : 'no-cache'),
      css,
    ),
  );
  app.get('/nhsuk/nhsuk-frontend.min.js', (_req, res) =>
    res.sendFile(path.join(nhsuk, 'nhsuk-frontend.min.js'), staticOpts),
  );
  app.use('/public', express.static(path.join(ROOT, 'public'), staticOpts));
  app.get('/favicon.ico', (_req, res) => res.sendFile(path.join(nhsuk, 'assets', 'images', 'favicon.ico'), staticOpts));
}

/**
 * Organisation sign-in's client (when configured) and the provider's back-channel logout route,
 * mounted before sessions, CSRF and the same-origin check: its signed token is the proof.
 */
function organisationLogout(app: Express, config: Config, db: Db, realtime: Realtime): OidcClient | undefined {
  const client = config.oidc && createOidcClient(config.oidc, config.isProduction);
  if (client) app.use(oidcLogoutRoute({ db, realtime, client }));
  return client;
}

/** The only routes that take a multipart body: each checks its CSRF token inside the body. */
const UPLOAD_PATHS = [...LIBRARY_UPLOAD_PATHS, ...TELEVISION_UPLOAD_PATHS, ...MEASURES_UPLOAD_PATHS];

/** Builds the Express app. It never listens: server.ts and the tests do that. */
export function createApp({
  config,
  db,
  sessionPool,
  healthPool,
  sessionSecret,
  logger,
  clock = () => new Date(),
}: AppDeps): App {
  const app = express();
  app.disable('x-powered-by');
  // No ETag computed for every answer: pages are no-store; public assets set theirs (sendWithETag).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  useViews(app, config);

  // Request id (X-Request-Id in and out), one log line per request, and the duration histogram.
  app.use(requestLog(logger));
  app.use(securityHeaders(config.isProduction, config.oidc ? [new URL(config.oidc.issuer).origin] : []));
  app.use(compressText());
  serveAssets(app, config);
  app.use(healthRoutes({ pool: healthPool }));
  // The manifest, service worker and offline page: the same for everyone, before sessions.
  app.use(installRoutes({ root: ROOT, isProduction: config.isProduction }));

  // 600 fields: the questionnaire builder's 30 questions of up to 12 options each; 32 KB still bounds the body.
  app.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 600 }));
  app.use(express.json({ limit: '32kb' }));
  const realtime = createRealtime();
  const oidcClient = organisationLogout(app, config, db, realtime);
  const session = createSession(config, sessionPool, sessionSecret);
  const passwords = createPasswordHasher(config.passwordHashing);
  const passport = createPassport(db, passwords, preloadUserWithSession(session.store, db, sessionPool));
  app.use(
    session.middleware,
    enforceAbsoluteLifetime(config.sessionAbsoluteMs),
    passport.initialize(),
    passport.session(),
  );
  app.use(noStore, sameOrigin(config.publicOrigin ? [config.publicOrigin] : []), multipartOnlyTo(UPLOAD_PATHS));
  const csrf = csrfProtection();
  app.use(csrf.protect, csrf.exposeToken, pageLocals, requireTwoFactorForStaff, unreadCountLocals(db));
  const mediaDeps = { db, config, verifyCsrf: csrf.verify };

  const chat: ChatDeps = { db, realtime, config };
  const authDeps = {
    db,
    passport,
    throttle: createLoginThrottle(db),
    realtime,
    clock,
    staffOnlySso: config.oidc?.staffOnlySso,
  };
  app.use(authRoutes(authDeps));
  if (config.oidc && oidcClient) app.use(oidcRoutes({ ...authDeps, oidc: config.oidc, client: oidcClient }));
  app.use(keysRoutes({ db, config, passwords }));
  // One route serves every room's page (src/rooms); each feature serves its own actions.
  app.use(roomRoutes({ db, realtime, config, chat }));
  app.use(chatRoutes(chat));
  app.use(libraryRoutes(mediaDeps), libraryEditorRoutes(mediaDeps, 'staff'), libraryEditorRoutes(mediaDeps, 'admin'));
  app.use(
    televisionRoutes(mediaDeps),
    televisionEditorRoutes(mediaDeps, 'staff'),
    televisionEditorRoutes(mediaDeps, 'admin'),
  );
  app.use(noticeboardRoutes({ db, realtime, config }));
  app.use(filesRoutes({ db, config }));
  app.use(careTeamRoutes({ db, realtime }));
  app.use(notificationsRoutes({ db }));
  app.use(dutyRoutes({ db, realtime }));
  app.use(surveysRoutes({ db }));
  app.use(measuresRoutes({ db, realtime, verifyCsrf: csrf.verify }));
  app.use(evaluationRoutes({ db, config }));
  app.use(accountRoutes({ db, config, realtime, passwords }));
  app.use(progressRoutes({ db }));
  app.use(twoFactorRoutes({ db, passwords, clock }));
  app.use(buildingRoutes({ db, realtime, config }));
  app.use(workspaceRoutes({ db, realtime, config }));
  app.use(moderationRoutes(chat), messageModerationRoutes(chat));
  app.use(watchedWordsRoutes({ db }));
  app.use(membersRoutes({ db, realtime }));
  app.use(fhirRoutes({ db, config }));
  app.use(adminSubnetRoutes({ db }));
  app.use(adminAccountRoutes({ db, realtime, config, passwords }));
  app.use((_req, _res, next) => next(notFound()));
  app.use(errorHandler(db, logger));
  return { app, session, realtime, chat, passwords };
}

/**
 * Attaches Socket.IO (living-room chat) to the HTTP server. With `adapterPool` the Postgres
 * adapter delivers messages and presence between app processes on one database.
 */
export function attachRealtime(
  server: http.Server,
  built: App,
  deps: { config: Config; logger: Logger; adapterPool?: pg.Pool; sweepMs?: number },
): SocketServer {
  // The engine reads the session but never keeps it alive: only pages and chat actions are activity.
  const io = createSocketServer(server, {
    config: deps.config,
    session: built.session.readOnly,
    adapterPool: deps.adapterPool,
    logger: deps.logger,
  });
  registerChatHandlers(io, {
    ...built.chat,
    logger: deps.logger,
    sessionAbsoluteMs: deps.config.sessionAbsoluteMs,
    sweepMs: deps.sweepMs,
  });
  // After the handshake's own middleware, which says whose socket it is.
  io.use(limitConnections(deps.config.sockets));
  built.realtime.attach(io);
  return io;
}
