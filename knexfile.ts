import type { Knex } from 'knex';
import { migrationSource } from './migrations/index.js';

/**
 * For the knex CLI against an external database (DATABASE_URL). The app itself migrates on
 * start-up (src/db/migrate.ts) with the same migration list.
 */
const config: Knex.Config = {
  client: 'pg',
  connection: process.env.DATABASE_URL,
  migrations: { migrationSource },
};

export default config;
