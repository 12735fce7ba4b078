import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { createDb } from '../../src/db/knex.js';
import { MAINTENANCE_TIMEOUTS } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { seedDemo } from '../../seeds/demo.js';
import { DEMO_PASSWORD, TEMPLATE_DB } from './constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    uploadDir: string;
  }
}

/**
 * Starts one throwaway PostgreSQL for the whole run (or uses TEST_DATABASE_URL), migrates and
 * seeds a template database; each test file then copies the template into a database of its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => undefined as void;
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sharon-test-'));
    const port = 40000 + Math.floor(Math.random() * 20000);
    const pg = await startEmbeddedPostgres({ dataDir: dir, port, database: 'postgres', persistent: false });
    adminUrl = pg.url;
    stop = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const admin = createDb(adminUrl, 1, MAINTENANCE_TIMEOUTS);
  await admin.raw(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.raw(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.destroy();
  const uploadDir = await mkdtemp(path.join(os.tmpdir(), 'sharon-uploads-'));
  const template = createDb(withDatabase(adminUrl, TEMPLATE_DB), 2, MAINTENANCE_TIMEOUTS);
  await migrateLatest(template);
  await seedDemo(template, DEMO_PASSWORD, 'test', uploadDir);
  await template.destroy();
  project.provide('pgAdminUrl', adminUrl);
  project.provide('uploadDir', uploadDir);
  return async () => {
    await stop();
    await rm(uploadDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
