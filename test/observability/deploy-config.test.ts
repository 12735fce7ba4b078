import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { Registry } from 'prom-client';
import { collectProcessMetrics, registry } from '../../src/metrics.js';
import { registerWorkloadMetrics } from '../../src/monitoring/workload.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
interface RuleFile {
  groups: { name: string; rules: Rule[] }[];
}
interface ScrapeConfig {
  rule_files: string[];
  scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
}

/** Every metric family SHaRON exports, by name (with a histogram's _bucket, _sum and _count). */
async function exportedNames(): Promise<Set<string>> {
  collectProcessMetrics();
  const workload = new Registry();
  registerWorkloadMetrics(workload, async () => [
    {
      subnet: 's',
      alerts: { count: 0, oldest: null },
      queue: { held_message: { count: 0 }, held_post: { count: 0 }, open_report: { count: 0 } },
      careTeam: { count: 0, oldest: null },
    },
  ]);
  const text = `${await registry.metrics()}\n${await workload.metrics()}`;
  return new Set(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
      type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [String(name)],
    ),
  );
}

/** A Prometheus duration such as 30s, 1m or 2h, in seconds. */
function seconds(duration: string): number {
  const m = /^(\d+)([smh])$/.exec(duration);
  if (!m) throw new Error(`not a simple duration: ${duration}`);
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600 };
  return Number(m[1]) * (unit[m[2] ?? ''] ?? Number.NaN);
}

describe('deploy/prometheus', () => {
  const scrape = yaml.load(read('deploy/prometheus/prometheus.yml')) as ScrapeConfig;
  const rules = yaml.load(read('deploy/prometheus/sharon-alerts.yml')) as RuleFile;
  const all = rules.groups.flatMap((g) => g.rules);

  it('the scrape config scrapes /metrics for job sharon and loads the alert rules beside it', () => {
    const job = scrape.scrape_configs.find((c) => c.job_name === 'sharon');
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs[0]?.targets.length).toBeGreaterThan(0);
    expect(scrape.rule_files).toEqual(['sharon-alerts.yml']);
  });

  it('has the alerts an operator needs, each complete', () => {
    expect(all.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'SharonAlertUnacknowledged',
        'SharonDown',
        'SharonAllDown',
        'SharonDatabasePoolWaiting',
        'SharonWorkloadUnreadable',
      ]),
    );
    for (const r of all) {
      expect(r.expr.length, r.alert).toBeGreaterThan(0);
      expect(['page', 'warning'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).toBeTruthy();
      expect(r.annotations.description, r.alert).toBeTruthy();
      if (r.for) expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
    }
    const unacked = all.find((r) => r.alert === 'SharonAlertUnacknowledged');
    expect(unacked?.labels.severity).toBe('page');
  });

  it('pages when a safety alert has waited 10 minutes: the threshold plus the rule’s for: is 600 s, not more', () => {
    const unacked = all.find((r) => r.alert === 'SharonAlertUnacknowledged');
    const threshold = /sharon_alert_oldest_unacknowledged_seconds\) > (\d+)\s*$/.exec(unacked?.expr ?? '')?.[1];
    expect(threshold, 'the rule compares the oldest wait with a number of seconds').toBeDefined();
    expect(Number(threshold) + seconds(unacked?.for ?? '0s')).toBe(600);
  });

  it('every metric a rule reads is one SHaRON exports', async () => {
    const names = await exportedNames();
    const used = new Set(all.flatMap((r) => [...r.expr.matchAll(/\bsharon_[a-z0-9_]+/g)].map((m) => m[0])));
    expect(used.size).toBeGreaterThan(3);
    for (const name of used) expect(names, name).toContain(name);
  });

  it('docs/deploy.md says what each alert means and what to do', () => {
    const docs = read('docs/deploy.md');
    for (const r of all) expect(docs, r.alert).toContain(`\`${r.alert}\``);
  });
});
