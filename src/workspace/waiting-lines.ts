import type { QueueKind, QueueWaiting } from '../moderation/workload.service.js';
import type { AlertsWaiting } from '../safety/workload.service.js';
import { plural, waitedFor } from './waited.js';

/** One line of "What needs you now": what, how many, the oldest one's age in words, and where to go. */
export interface WaitingLine {
  key: 'alerts' | QueueKind | 'care';
  label: string;
  count: number;
  /** "oldest waiting 2 hours", or null when nothing waits. */
  oldest: string | null;
  /** How many alerts are past the escalation time (alerts only; 0 otherwise). */
  overdue: number;
  href: string;
  linkText: string;
  /** "2 unacknowledged alerts (1 overdue)": for the live region. */
  sentence: string;
}

interface Counts {
  alerts: AlertsWaiting | undefined;
  queues: Record<QueueKind, QueueWaiting> | undefined;
  /** Undefined when the person may not list the subnet's care-team conversations: no line then. */
  care: QueueWaiting | undefined;
}

const NONE: QueueWaiting = { count: 0, oldest: null };

/** The lines of one subnet, in the order a clinician triages: alerts, held, reports, care team. */
export function waitingLines(subnetId: string, now: Date, c: Counts): WaitingLine[] {
  const queue = `/subnets/${subnetId}/moderation`;
  const line = (
    key: WaitingLine['key'],
    w: QueueWaiting,
    words: [string, string],
    href: string,
    linkText: string,
    overdue = 0,
  ): WaitingLine => ({
    key,
    label: words[1].charAt(0).toUpperCase() + words[1].slice(1),
    count: w.count,
    oldest: w.oldest && w.count > 0 ? `oldest waiting ${waitedFor(w.oldest, now)}` : null,
    overdue,
    href,
    linkText,
    sentence: plural(w.count, words[0], words[1]) + (overdue > 0 ? ` (${overdue} overdue)` : ''),
  });
  const alerts = c.alerts ?? { ...NONE, overdue: 0 };
  const q = c.queues;
  const lines = [
    line(
      'alerts',
      alerts,
      ['unacknowledged alert', 'unacknowledged alerts'],
      queue,
      'Alerts in the moderation queue',
      alerts.overdue,
    ),
    line('held_message', q?.held_message ?? NONE, ['held message', 'held messages'], `${queue}#held`, 'Held messages'),
    line(
      'held_post',
      q?.held_post ?? NONE,
      ['held noticeboard post', 'held noticeboard posts'],
      `${queue}#held-posts`,
      'Held noticeboard posts',
    ),
    line(
      'open_report',
      q?.open_report ?? NONE,
      ['open report', 'open reports'],
      queue,
      'Reports in the moderation queue',
    ),
  ];
  if (c.care)
    lines.push(
      line(
        'care',
        c.care,
        ['care-team conversation awaiting a reply', 'care-team conversations awaiting a reply'],
        `/subnets/${subnetId}/care-team`,
        'Care-team messages',
      ),
    );
  return lines;
}
