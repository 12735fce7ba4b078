import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering the README draws, held by reading the imports (issue 14 item 2).

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const filesOf = (dir: string): string[] =>
  readdirSync(path.join(SRC, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
const importsOf = (file: string) =>
  [...readFileSync(path.join(SRC, file), 'utf8').matchAll(/^import [^;]*? from '([^']+)';/gms)].map(
    (m) => m[1] as string,
  );
/** The top-level folder (or file) of src/ that a relative import in `file` points at. */
const targetOf = (file: string, spec: string) =>
  path.relative(SRC, path.resolve(SRC, path.dirname(file), spec)).split(path.sep)[0] ?? '';

describe('shared parts do not reach into features', () => {
  it('src/http imports only the layers below it (policy, people, db, audit, log, config, metrics)', () => {
    const below = new Set([
      'http',
      'policy',
      'people',
      'db',
      'audit',
      'log.ts',
      'log.js',
      'config.ts',
      'config.js',
      'metrics.js',
    ]);
    const reach = filesOf('http')
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => `${f} -> ${targetOf(f, s)}`),
      )
      .filter((x) => !below.has(x.split(' -> ')[1] ?? ''));
    expect(reach).toEqual([]);
  });

  it('src/people and src/realtime import no feature', () => {
    const below = new Set(['people', 'realtime', 'policy', 'db', 'log.js', 'config.js', 'metrics.js']);
    const reach = [...filesOf('people'), ...filesOf('realtime')]
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith('.'))
          .map((s) => `${f} -> ${targetOf(f, s)}`),
      )
      .filter((x) => !below.has(x.split(' -> ')[1] ?? ''));
    expect(reach).toEqual([]);
  });

  it('moderation, noticeboard, safety and admin import nothing from src/chat', () => {
    const reach = ['moderation', 'noticeboard', 'safety', 'admin'].flatMap(filesOf).flatMap((f) =>
      importsOf(f)
        .filter((s) => s.startsWith('.') && targetOf(f, s) === 'chat')
        .map((s) => `${f} -> ${s}`),
    );
    expect(reach).toEqual([]);
  });
});

describe('one repository owns the session table', () => {
  it("only src/auth/sessions.repo.ts queries db('session')", () => {
    const users = filesOf('.').filter((f) => /\bdb\(\s*'session'\s*\)/.test(readFileSync(path.join(SRC, f), 'utf8')));
    expect(users).toEqual(['auth/sessions.repo.ts']);
  });
});
