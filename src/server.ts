import http from 'node:http';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { createSessionPool, openDatabase, sessionSecretFor } from './db/open.js';
import { attachRealtime, createApp } from './app.js';
import { DEMO_TOTP_SECRET, seedDemoIfEmpty } from '../seeds/demo.js';
import { startEscalationJob } from './safety/escalation.js';
import { startRetentionJob } from './admin/data-rights.js';

/** Starts SHaRON: configuration, database, migrations, demo data, HTTP; shuts down cleanly. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  if (!config.isProduction && (await seedDemoIfEmpty(database.db, config.demoPassword, config.uploads.dir))) {
    logger.info('demo data created', { accounts: 'admin, clinician, peermod, anna, bella, carer' });
  }
  const sessionPool = createSessionPool(database.url);
  const built = createApp({ config, db: database.db, sessionPool, sessionSecret: await sessionSecretFor(config), logger });
  const { app, session } = built;
  const server = http.createServer(app);
  // The Postgres adapter links every app process on this database (scale-out needs nothing more).
  const adapterPool = createSessionPool(database.url);
  const io = attachRealtime(server, built, { config, logger, adapterPool });
  const stopRetention = startRetentionJob(database.db, (e) => logger.error('retention job failed', { error: e instanceof Error ? e.message : 'unknown' }));
  const stopEscalation = startEscalationJob(database.db, built.realtime, config.safety.escalationMs, (e) => logger.error('alert escalation failed', { error: e instanceof Error ? e.message : 'unknown' }));
  server.listen(config.port, config.host, () => {
    logger.info('SHaRON is listening', { url: `http://localhost:${config.port}`, database: database.embedded ? 'embedded' : 'DATABASE_URL' });
    if (!config.isProduction) {
      process.stdout.write(`\n  SHaRON is running at http://localhost:${config.port}\n  Demo accounts: admin, clinician, peermod, anna, bella, carer\n  Demo password: ${config.demoPassword}\n  Staff (admin, clinician, peermod) also need a code from the demo TOTP key ${DEMO_TOTP_SECRET} (see README)\n\n`);
    }
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    stopEscalation();
    stopRetention();
    const force = setTimeout(() => server.closeAllConnections(), 5000).unref();
    // io.close() disconnects every socket and closes the HTTP server.
    await new Promise<void>((resolve) => {
      void io.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    session.store.close();
    await Promise.all([sessionPool.end(), adapterPool.end()]);
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`SHaRON could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exit(1);
});
