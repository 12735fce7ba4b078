import http from 'node:http';
import type { Knex } from 'knex';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { createAdapterPool, createHealthPool, createSessionPool, openDatabase, sessionSecretFor } from './db/open.js';
import { isDatabaseUnavailable } from './db/connection.js';
import { attachRealtime, createApp } from './app.js';
import { DEMO_TOTP_SECRET, seedDemoIfEmpty } from '../seeds/demo.js';
import { startEscalationJob } from './safety/escalation.js';
import { startRetentionJob } from './admin/data-rights.js';
import { startMetrics } from './monitoring/metrics-server.js';

/** Starts SHaRON: configuration, database, migrations, demo data, HTTP; shuts down cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The backstop for "a process never exits because PostgreSQL blinked": a database error that
  // escaped every handler is logged and the process carries on; anything else is a bug, and ends it.
  process.on('unhandledRejection', (reason) => {
    if (isDatabaseUnavailable(reason))
      return logger.warn('database unavailable (unhandled)', {
        code: String((reason as { code?: unknown }).code ?? 'none'),
      });
    logger.error('unhandled rejection', {
      error: reason instanceof Error ? reason.name : 'unknown',
      detail: reason instanceof Error ? reason.message.slice(0, 200) : undefined,
    });
    process.exit(1);
  });
  const database = await openDatabase(config, logger, { superviseEmbedded: true });
  await seedDemoOnFirstStart(database.db, config, logger);
  const sessionPool = createSessionPool(database.url, logger, config.database);
  const healthPool = createHealthPool(database.url, logger);
  const built = createApp({
    config,
    db: database.db,
    sessionPool,
    healthPool,
    sessionSecret: await sessionSecretFor(config),
    logger,
  });
  const { app, session } = built;
  const server = http.createServer(app);
  // The Postgres adapter links every app process on this database (scale-out needs nothing more).
  const adapterPool = createAdapterPool(database.url, logger, config.database);
  const io = attachRealtime(server, built, { config, logger, adapterPool });
  const pools = { sessions: sessionPool, adapter: adapterPool, health: healthPool };
  const metrics = await startMetrics(config, database.db, pools, logger);
  const stopRetention = startRetentionJob(database.maintenance, (e) =>
    logger.error('retention job failed', { error: e instanceof Error ? e.message : 'unknown' }),
  );
  const stopEscalation = startEscalationJob(database.db, built.realtime, config.safety.escalationMs, (e) =>
    logger.error('alert escalation failed', { error: e instanceof Error ? e.message : 'unknown' }),
  );
  server.listen(config.port, config.host, () => {
    logger.info('SHaRON is listening', {
      url: `http://localhost:${config.port}`,
      database: database.embedded ? 'embedded' : 'DATABASE_URL',
    });
    if (!config.isProduction) {
      process.stdout.write(
        `\n  SHaRON is running at http://localhost:${config.port}\n  Demo accounts: admin, clinician, peermod, anna, bella, carer\n  Demo password: ${config.demoPassword}\n  Staff (admin, clinician, peermod) also need a code from the demo TOTP key ${DEMO_TOTP_SECRET} (see README)\n\n`,
      );
    }
  });

  /**
   * SIGTERM/SIGINT: stop accepting, close every socket so that its browser reconnects (to another
   * process behind a load balancer), let in-flight requests finish for up to SHUTDOWN_GRACE_SECONDS,
   * close every pool, stop the embedded PostgreSQL, and exit 0 with one line. A second signal
   * exits at once. (A Ctrl-C in a terminal also reaches the embedded PostgreSQL, which may stop
   * first: the pools' error listeners and the embedded server's stop() allow for that.)
   */
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn('stopped at once by a second signal', { signal });
      process.exit(1);
    }
    stopping = true;
    database.expectStop();
    const started = Date.now();
    stopEscalation();
    stopRetention();
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs).unref();
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting', { signal });
      process.exit(1);
    }, config.shutdownGraceMs + 15_000).unref();
    // io.close() closes the sockets without a disconnect packet, so clients see "transport close"
    // and reconnect by themselves; then it closes the HTTP server, which waits for in-flight requests.
    const closed = io.close();
    server.closeIdleConnections();
    await closed;
    clearTimeout(force);
    session.store.close();
    await Promise.allSettled([sessionPool.end(), adapterPool.end(), healthPool.end(), metrics?.close()]);
    await database.close();
    logger.info('SHaRON stopped', { signal, ms: Date.now() - started });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * On an empty database outside production: the demo people, and (unless DEMO_ACTIVITY=off) twelve
 * weeks of generated activity. A database with accounts costs one count.
 */
async function seedDemoOnFirstStart(db: Knex, config: Config, logger: Logger): Promise<void> {
  const started = Date.now();
  const activity = config.demoActivity;
  if (config.isProduction || !(await seedDemoIfEmpty(db, config.demoPassword, config.uploads.dir, { activity })))
    return;
  logger.info('demo data created', {
    accounts: 'admin, clinician, peermod, anna, bella, carer',
    activity: activity ? 'twelve weeks generated' : 'off (DEMO_ACTIVITY=off)',
    ms: Date.now() - started,
  });
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`SHaRON could not start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  }
  process.exit(1);
});
