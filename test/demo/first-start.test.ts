import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { MAINTENANCE_TIMEOUTS } from '../../src/db/connection.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoIfEmpty } from '../../seeds/demo.js';
import { DEMO_PASSWORD } from '../helpers/constants.js';

// What `npm start` does on an empty data directory: a migrated database with no accounts.
const made: string[] = [];
const adminUrl = () => inject('pgAdminUrl');
const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

async function emptyDatabase(): Promise<Db> {
  const name = `sharon_first_${randomBytes(6).toString('hex')}`;
  const admin = createDb(adminUrl(), 1, MAINTENANCE_TIMEOUTS);
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  made.push(name);
  const db = createDb(withDatabase(adminUrl(), name), 4, MAINTENANCE_TIMEOUTS);
  await migrateLatest(db);
  return db;
}

const count = async (db: Db, table: string) => Number((await db(table).count<{ n: string }[]>('* as n'))[0]?.n);

afterAll(async () => {
  const admin = createDb(adminUrl(), 1, MAINTENANCE_TIMEOUTS);
  for (const name of made) await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.destroy();
});

describe('the first start on an empty database', () => {
  it('loads the demo people and twelve weeks of activity; a later start adds nothing', async () => {
    const db = await emptyDatabase();
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x' });
      expect(config.demoActivity).toBe(true);
      const uploads = inject('uploadDir');
      expect(await seedDemoIfEmpty(db, DEMO_PASSWORD, uploads, { activity: config.demoActivity })).toBe(true);
      const messages = await count(db, 'messages');
      expect(messages).toBeGreaterThan(2000);
      expect(await count(db, 'care_events')).toBeGreaterThan(0);
      expect(await count(db, 'survey_answers')).toBeGreaterThan(0);
      expect(await count(db, 'measure_responses')).toBeGreaterThan(0);
      expect(await db('users').where({ username: 'anna' }).first('id')).toBeDefined();
      // Later starts: the database has accounts, so nothing is generated again.
      expect(await seedDemoIfEmpty(db, DEMO_PASSWORD, uploads, { activity: true })).toBe(false);
      expect(await count(db, 'messages')).toBe(messages);
    } finally {
      await db.destroy();
    }
  }, 240_000);

  it('with DEMO_ACTIVITY=off loads the demo people only', async () => {
    const db = await emptyDatabase();
    try {
      const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x', DEMO_ACTIVITY: 'off' });
      expect(config.demoActivity).toBe(false);
      expect(await seedDemoIfEmpty(db, DEMO_PASSWORD, inject('uploadDir'), { activity: config.demoActivity })).toBe(
        true,
      );
      expect(await count(db, 'users')).toBe(6);
      for (const table of [
        'messages',
        'threads',
        'care_messages',
        'alerts',
        'invitation_keys',
        'care_events',
        'measure_responses',
        'subnet_measures',
      ])
        expect(await count(db, table), table).toBe(0);
    } finally {
      await db.destroy();
    }
  }, 240_000);

  it('refuses a DEMO_ACTIVITY that is neither on nor off', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@localhost/x', DEMO_ACTIVITY: 'yes' }),
    ).toThrow(/DEMO_ACTIVITY/);
  });
});
