import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { openDatabase } from '../src/db/open.js';
import { seedDemo } from './demo.js';

/** `npm run seed:demo`: adds whatever demo data is missing (never in production). */
const config = loadConfig();
if (config.isProduction) {
  process.stderr.write('The demo seed refuses to run with NODE_ENV=production.\n');
  process.exit(1);
}
const database = await openDatabase(config, createLogger(config.logLevel));
try {
  await seedDemo(database.db, config.demoPassword, config.env, config.uploads.dir);
  process.stdout.write(`Demo data is in place. Accounts: admin, clinician, peermod, anna, bella, carer. Password: ${config.demoPassword}\n`);
} finally {
  await database.close();
}
