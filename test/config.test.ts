import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { seedDemo } from '../seeds/demo.js';
import { createTestDatabase } from './helpers/db.js';

describe('configuration', () => {
  it('starts with no variables at all outside production', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sessionIdleMs).toBe(30 * 60_000);
  });

  it('in production a missing SESSION_SECRET or DATABASE_URL is a clear start-up error', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET: is required in production[\s\S]*DATABASE_URL: is required in production/,
    );
  });

  it('a bad value names the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  it('the abuse limits have their defaults, and the seconds idle timeout is for tests only', () => {
    const c = loadConfig({});
    expect(c.sockets).toEqual({ perSession: 10, perPerson: 20 });
    expect(c.passwordHashing).toEqual({ concurrency: 2, queue: 32 });
    expect(loadConfig({ NODE_ENV: 'test', SESSION_IDLE_SECONDS: '3' }).sessionIdleMs).toBe(3000);
    expect(() => loadConfig({ SESSION_IDLE_SECONDS: '3' })).toThrow(/SESSION_IDLE_SECONDS: is for tests only/);
    expect(() => loadConfig({ PASSWORD_HASH_CONCURRENCY: '0' })).toThrow(/PASSWORD_HASH_CONCURRENCY/);
    expect(() => loadConfig({ SOCKETS_PER_SESSION: 'many' })).toThrow(/SOCKETS_PER_SESSION/);
  });

  it('the demo seed refuses NODE_ENV=production and leaves the database untouched', async () => {
    const t = await createTestDatabase();
    try {
      const before = await t.db('users').count('* as n').first();
      await expect(seedDemo(t.db, 'whatever-password', 'production')).rejects.toThrow(/refuses/);
      expect((await t.db('users').count('* as n').first())?.n).toBe(before?.n);
    } finally {
      await t.drop();
    }
  });
});
