import { createHash } from 'node:crypto';

/** What the generator created: the dashboard's figures over the whole period must match these. */
export interface ActivityTotals {
  members: number;
  staff: number;
  /** Living-room messages, by anyone. */
  messages: number;
  memberMessages: number;
  /** Messages still waiting for a moderator. */
  heldMessages: number;
  threads: number;
  memberThreads: number;
  replies: number;
  memberReplies: number;
  staffReplies: number;
  careMessages: number;
  memberCareMessages: number;
  /** Care-team conversations whose member is waiting for a reply. */
  careAwaiting: number;
  alerts: number;
  alertsAcknowledged: number;
  reports: number;
  reportsHandled: number;
  keysIssued: number;
  keysRedeemed: number;
  surveyAnswers: number;
  surveyAgree: number;
  careEvents: number;
  bedDays: number;
  /** PHQ-9 and GAD-7 answers (one per measure), and occurrences declined (one per measure). */
  measureAnswers: number;
  measureDeclines: number;
  /** Reliable change over the whole period (src/measures/reliable-change.ts), across every band. */
  reliableChangeScored: number;
  reliableChangePaired: number;
  reliableChangeImproved: number;
  reliableChangeAtCaseness: number;
  reliableChangeRecovered: number;
  reliableChangeDeteriorated: number;
  /** Everything members wrote (the dashboard's activity): messages, threads, replies, care-team messages. */
  memberActivity: number;
  /** The first day (YYYY-MM-DD, UTC) that holds generated activity. */
  firstDay: string;
  /** A SHA-256 over every generated row (names, times and text, never database ids). */
  checksum: string;
}

export type Counter = Exclude<keyof ActivityTotals, 'firstDay' | 'checksum' | 'memberActivity'>;

/** Counts what is generated and hashes it, in generation order. */
export class Tally {
  private readonly hash = createHash('sha256');
  private readonly counts = new Map<Counter, number>();
  private first = Number.POSITIVE_INFINITY;

  add(counter: Counter, by = 1): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + by);
  }

  /** Records a row for the checksum: stable words only (names, an instant, text). */
  row(...parts: (string | number | Date | null | boolean)[]): void {
    for (const p of parts) {
      if (p instanceof Date) this.first = Math.min(this.first, p.getTime());
      this.hash.update(p instanceof Date ? p.toISOString() : String(p));
      this.hash.update('\u0000');
    }
    this.hash.update('\n');
  }

  totals(): ActivityTotals {
    const c = (k: Counter) => this.counts.get(k) ?? 0;
    const keys: Counter[] = [
      'members',
      'staff',
      'messages',
      'memberMessages',
      'heldMessages',
      'threads',
      'memberThreads',
      'replies',
      'memberReplies',
      'staffReplies',
      'careMessages',
      'memberCareMessages',
      'careAwaiting',
      'alerts',
      'alertsAcknowledged',
      'reports',
      'reportsHandled',
      'keysIssued',
      'keysRedeemed',
      'surveyAnswers',
      'surveyAgree',
      'careEvents',
      'bedDays',
      'measureAnswers',
      'measureDeclines',
      'reliableChangeScored',
      'reliableChangePaired',
      'reliableChangeImproved',
      'reliableChangeAtCaseness',
      'reliableChangeRecovered',
      'reliableChangeDeteriorated',
    ];
    const counts = Object.fromEntries(keys.map((k) => [k, c(k)])) as Record<Counter, number>;
    return {
      ...counts,
      memberActivity: c('memberMessages') + c('memberThreads') + c('memberReplies') + c('memberCareMessages'),
      firstDay: Number.isFinite(this.first) ? new Date(this.first).toISOString().slice(0, 10) : '',
      checksum: this.hash.copy().digest('hex'),
    };
  }
}
