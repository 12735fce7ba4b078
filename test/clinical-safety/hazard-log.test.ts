import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOG = readFileSync(path.join(ROOT, 'docs/clinical-safety/hazard-log.md'), 'utf8');

interface Hazard {
  title: string;
  tests: { file: string; name: string }[];
}

function hazards(): Hazard[] {
  return LOG.split(/^## /m)
    .slice(1)
    .map((section) => ({
      title: section.split('\n')[0] ?? '',
      tests: [...section.matchAll(/^- test: (\S+) › (.+)$/gm)].map((m) => ({
        file: m[1] ?? '',
        name: (m[2] ?? '').trim(),
      })),
    }));
}

/** A test's name as written in the file: it('name' / it(`name` / "name", with quotes escaped. */
function declares(source: string, name: string): boolean {
  const variants = [name, name.replace(/'/g, "\\'")];
  return variants.some((v) => source.includes(`'${v}'`) || source.includes(`"${v}"`) || source.includes(`\`${v}\``));
}

describe('the clinical safety hazard log', () => {
  it('lists the hazards the issue names, each with cause, effect, controls and at least one test', () => {
    const titles = hazards().map((h) => h.title);
    for (const words of [
      'acknowledged message is lost',
      'risk alert is missed',
      'identity is disclosed',
      "another cohort's room",
      'impersonated',
      'flood of harmful content',
      'down out of hours',
    ]) {
      expect(titles.some((t) => t.includes(words))).toBe(true);
    }
    for (const section of LOG.split(/^## /m).slice(1)) {
      for (const field of ['- Cause:', '- Effect:', '- Controls:', '- test:']) expect(section).toContain(field);
    }
  });

  for (const hazard of hazards()) {
    for (const test of hazard.tests) {
      it(`${hazard.title.split('.')[0]}: ${test.file} has a test named "${test.name}"`, () => {
        const file = path.join(ROOT, test.file);
        expect(existsSync(file)).toBe(true);
        expect(declares(readFileSync(file, 'utf8'), test.name)).toBe(true);
      });
    }
  }
});
