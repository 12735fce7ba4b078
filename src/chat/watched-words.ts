/**
 * The watched-words matcher: pure, so it is tested on its own and runs the same for chat and
 * (later) the noticeboard.
 */

export const WATCH_ACTIONS = ['alert', 'hold'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];
export const BUILTIN_DETECTORS = ['email', 'phone', 'link', 'numbers'] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

export interface WatchRule {
  id: number;
  kind: 'phrase' | 'builtin';
  pattern: string;
  action: WatchAction;
}

export interface WatchResult {
  /** The first hold rule that matched: the message waits for a moderator. */
  hold: WatchRule | null;
  /** Every alert rule that matched: delivered, staff alerted, the sender supported. */
  alerts: WatchRule[];
}

export const BUILTIN_LABELS: Record<BuiltinDetector, string> = {
  email: 'Email addresses',
  phone: 'Phone numbers',
  link: 'Links and web addresses',
  numbers: 'Numbers about weight, calories, BMI and clothing sizes',
};

const DETECTORS: Record<BuiltinDetector, RegExp> = {
  email: /[^\s@]+@[^\s@]+\.[a-z]{2,}/i,
  // 10 or more digits, allowing spaces, dots, dashes and brackets between them, or +44.
  phone: /(\+?\d[\d\s().-]{8,}\d)/,
  link: /\b(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(com|co\.uk|uk|org|net|io|me|ly|app|info)\b/i,
  // "no numbers": a number next to a unit of weight, energy, BMI or a clothing size.
  numbers: /\b\d+(\.\d+)?\s*(kg|kgs|kilos?|lbs?|pounds?|st|stone|cals?|kcals?|calories?)\b|\bbmi\s*(of|is|was|=|:)?\s*\d+|\b(size|uk)\s*\d{1,2}\b|\b\d{1,2}\s*(st|stone)\s*\d{1,2}\b/i,
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether a rule matches a message body (phrases match whole words, case-insensitively). */
export function ruleMatches(rule: WatchRule, body: string): boolean {
  if (rule.kind === 'builtin') {
    const re = DETECTORS[rule.pattern as BuiltinDetector];
    return re ? re.test(body) : false;
  }
  const words = rule.pattern.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${words}($|[^\\p{L}\\p{N}])`, 'iu').test(body.normalize('NFKC'));
}

/** Applies a room's rules (subnet-wide and room-specific) to a message body. */
export function evaluateWatchedWords(body: string, rules: readonly WatchRule[]): WatchResult {
  const matched = rules.filter((r) => ruleMatches(r, body));
  return { hold: matched.find((r) => r.action === 'hold') ?? null, alerts: matched.filter((r) => r.action === 'alert') };
}
