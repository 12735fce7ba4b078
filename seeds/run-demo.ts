import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openDatabase } from '../src/db/open.js';
import { runCommand } from '../src/cli/run-command.js';
import { seedDemo } from './demo.js';

/** `npm run seed:demo`: adds whatever demo data is missing (never in production). */
await runCommand('seed:demo failed', async (scope) => {
  const config = loadConfig();
  if (config.isProduction) throw new Error('The demo seed refuses to run with NODE_ENV=production.');
  const database = await openDatabase(config, createLogger(config.logLevel));
  scope.defer(() => database.close());
  await seedDemo(database.db, config.demoPassword, config.env, config.uploads.dir);
  process.stdout.write(
    `Demo data is in place. Accounts: admin, clinician, peermod, anna, bella, carer. Password: ${config.demoPassword}\n`,
  );
});
