import { Gauge, type Registry } from 'prom-client';
import type { Db } from '../db/knex.js';
import { listAllSubnets } from '../building/building.service.js';
import { alertsWaiting } from '../safety/workload.service.js';
import { queuesWaiting, type QueueKind } from '../moderation/workload.service.js';
import { conversationsAwaiting } from '../care-team/workload.service.js';

/** What waits for staff in one subnet, counted and aged on a scrape. */
export interface SubnetWorkload {
  subnet: string;
  alerts: { count: number; oldest: Date | null };
  queue: Record<QueueKind, { count: number }>;
  careTeam: { count: number; oldest: Date | null };
}

/** Every subnet's workload, through the same services as the staff home (counts and times only). */
export async function loadWorkload(db: Db, escalationMs: number, now: Date): Promise<SubnetWorkload[]> {
  const subnets = await listAllSubnets(db);
  const ids = subnets.map((s) => s.id);
  const [alerts, queues, care] = await Promise.all([
    alertsWaiting(db, ids, now, escalationMs),
    queuesWaiting(db, ids),
    conversationsAwaiting(db, ids),
  ]);
  return subnets.map((s) => ({
    subnet: s.slug,
    alerts: alerts.get(s.id) ?? { count: 0, oldest: null },
    queue: queues.get(s.id) ?? { held_message: { count: 0 }, held_post: { count: 0 }, open_report: { count: 0 } },
    careTeam: care.get(s.id) ?? { count: 0, oldest: null },
  }));
}

/** Resolves with the promise's value, or rejects after `ms` (the promise itself is left to finish). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('workload timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const ageSeconds = (oldest: Date | null, now: Date) =>
  oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;

/**
 * Registers the workload gauges. One load serves every gauge of a scrape; it gives up after
 * `timeoutMs`, so a slow database cannot hang a scrape: the gauges are then empty and
 * sharon_workload_collect_success is 0 (an alert rule watches it).
 */
export function registerWorkloadMetrics(
  registry: Registry,
  load: (now: Date) => Promise<SubnetWorkload[]>,
  timeoutMs = 2_000,
): void {
  let current: Promise<{ rows: SubnetWorkload[]; ok: boolean; now: Date }> | null = null;
  const scrape = () => {
    if (current) return current;
    const now = new Date();
    current = within(load(now), timeoutMs)
      .then((rows) => ({ rows, ok: true, now }))
      .catch(() => ({ rows: [] as SubnetWorkload[], ok: false, now }))
      .finally(() => setImmediate(() => (current = null)));
    return current;
  };
  const gauge = (name: string, help: string, fill: (g: Gauge, rows: SubnetWorkload[], now: Date) => void) =>
    new Gauge({
      name,
      help,
      labelNames: name === 'sharon_moderation_queue_items' ? ['subnet', 'kind'] : ['subnet'],
      registers: [registry],
      async collect() {
        const { rows, now } = await scrape();
        this.reset();
        fill(this, rows, now);
      },
    });
  gauge('sharon_alert_oldest_unacknowledged_seconds', 'Age of the oldest unacknowledged alert', (g, rows, now) =>
    rows.forEach((r) => g.set({ subnet: r.subnet }, ageSeconds(r.alerts.oldest, now))),
  );
  gauge('sharon_alerts_unacknowledged', 'Unacknowledged watched-word alerts', (g, rows) =>
    rows.forEach((r) => g.set({ subnet: r.subnet }, r.alerts.count)),
  );
  gauge('sharon_moderation_queue_items', 'Held messages, held posts and open reports waiting', (g, rows) =>
    rows.forEach((r) => Object.entries(r.queue).forEach(([kind, q]) => g.set({ subnet: r.subnet, kind }, q.count))),
  );
  gauge('sharon_care_team_conversations_waiting', 'Care-team conversations awaiting a reply', (g, rows) =>
    rows.forEach((r) => g.set({ subnet: r.subnet }, r.careTeam.count)),
  );
  gauge('sharon_care_team_oldest_waiting_seconds', 'Age of the oldest care-team conversation waiting', (g, rows, now) =>
    rows.forEach((r) => g.set({ subnet: r.subnet }, ageSeconds(r.careTeam.oldest, now))),
  );
  new Gauge({
    name: 'sharon_workload_collect_success',
    help: '1 when the workload gauges were read from the database on this scrape, 0 when it failed or timed out',
    registers: [registry],
    async collect() {
      this.set((await scrape()).ok ? 1 : 0);
    },
  });
}
