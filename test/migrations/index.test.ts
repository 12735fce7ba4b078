import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrationSource } from '../../migrations/index.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

/** The migration files on disk, by name without extension, in filename order. */
const onDisk = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('migrations/index.ts', () => {
  it('lists every migration file in migrations/ and nothing else, in filename order', async () => {
    const listed = (await migrationSource.getMigrations([])).map((m) => migrationSource.getMigrationName(m));
    expect(
      onDisk.every((name) => /^\d{14}_[a-z0-9_]+$/.test(name)),
      'migration files are named <14-digit timestamp>_<snake_case>.ts',
    ).toBe(true);
    expect(listed).toEqual(onDisk);
  });

  it('each listed name runs the module of the file with that name', async () => {
    for (const entry of await migrationSource.getMigrations([])) {
      const name = migrationSource.getMigrationName(entry);
      const fromFile: unknown = await import(pathToFileURL(path.join(DIR, `${name}.ts`)).href);
      expect(await migrationSource.getMigration(entry), name).toBe(fromFile);
    }
  });
});
