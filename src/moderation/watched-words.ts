/**
 * The watched-words matcher: pure, so it is tested on its own and runs the same for chat and the
 * noticeboard. Every subnet has the safety baseline from its first minute (computed here, never
 * stored): alerts on the crisis phrases (src/safety/crisis-phrases.ts), which nobody can switch
 * off, and holds for contact details, which staff may switch off in a subnet with a recorded
 * reason. Staff add their own rules (the watched_words table) on top.
 */
import { CRISIS_PHRASES, type CrisisPhrase } from '../safety/crisis-phrases.js';
import { matchPhrase, matchText } from './match-text.js';

export const WATCH_ACTIONS = ['alert', 'hold'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];
export const BUILTIN_DETECTORS = ['email', 'phone', 'link', 'handle', 'numbers'] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

export interface WatchRule {
  /** The stored rule's id; null for a rule of the baseline, which lives in code. */
  id: number | null;
  kind: 'phrase' | 'builtin';
  pattern: string;
  action: WatchAction;
  /** Part of the safety baseline (a crisis phrase matches with all its variants). */
  baseline?: true;
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
  handle: 'Social media handles (@name, or a messaging app with a name)',
  numbers: 'Numbers about weight, calories, BMI and clothing sizes',
};

/** Contact details every subnet holds from its first minute; staff may switch one off, with a reason. */
export const BASELINE_HOLDS = ['email', 'phone', 'link', 'handle'] as const satisfies readonly BuiltinDetector[];
export type BaselineHold = (typeof BASELINE_HOLDS)[number];
/** The baseline's alerts, by the name the watched-words page uses: the crisis phrases. */
export const CRISIS_ALERTS = 'crisis-phrases';
export const BASELINE_RULE_KEYS = [CRISIS_ALERTS, ...BASELINE_HOLDS] as const;
export type BaselineRuleKey = (typeof BASELINE_RULE_KEYS)[number];

// Messaging apps, and a name given with one: "insta @willow_recovers", "my snap is willow_r",
// "add me on discord willow#1234". A bare mention ("I'm on TikTok too") gives nothing away.
const APPS = String.raw`(?:instagram|insta|ig|snapchat|snap|tik\s?tok|whats\s?app|telegram|discord|kik)`;
const NAME_CHARS = String.raw`[\p{L}\p{N}_.#]`;
// Words that follow an app's name in ordinary talk ("my insta is private", "add me on snap later").
const NOT_A_NAME = String.raw`(?:the|and|not|too|also|just|only|still|now|off|over|open|closed|private|public|locked|down|broken|gone|deleted|blocked|banned|hacked|new|old|full|empty|fine|good|great|bad|weird|here|there|dead|quiet|busy|boring|rubbish|same|different|better|worse|toxic|really|very|pretty|quite|mostly|literally|actually|basically|where|what|why|how|when|who|which|that|this|its|mine|yours|for|with|about|like|later|please|pls|plz|thanks|thx|then|tonight|today|tomorrow|sometime|anytime|maybe|instead|lol|haha|xxx)(?!${NAME_CHARS})`;
const A_NAME = String.raw`@?(?!${NOT_A_NAME})${NAME_CHARS}{3,32}`;
// A name with a digit, underscore, dot or # in it, and a letter: a handle, not a word.
const HANDLE_LIKE = String.raw`@?(?=${NAME_CHARS}*[_.#\p{N}])(?=${NAME_CHARS}*\p{L})${NAME_CHARS}{3,32}`;
const CONNECTOR = String.raw`(?:\s*(?:\bis\b|\bat\b|\bon\b|:|-|=)\s*|\s+|(?=@))`;

const DETECTORS: Record<BuiltinDetector, readonly RegExp[]> = {
  email: [/[^\s@]+@[^\s@]+\.[a-z]{2,}/i],
  // 10 or more digits, allowing spaces, dots, dashes and brackets between them, or +44.
  phone: [/(\+?\d[\d\s().-]{8,}\d)/],
  link: [
    /\b(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(com|co\.uk|uk|org|net|io|me|ly|app|info|co|gg|tv|xyz|ee|site|online|link|bio)\b/i,
    // Spelled out to get past a filter: "willow dot com", "willow (dot) co uk".
    /\b[a-z0-9-]{2,}\s*(\(dot\)|\[dot\]|\sdot\s)\s*(com|co\s?uk|org|net)\b/i,
  ],
  handle: [
    // @name at the start of a word (not an email, caught above; not a time: "@ 5pm", "@5pm", "@10:30").
    /(?<![\p{L}\p{N}_.@])@(?!\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?(?![\p{L}\p{N}_]))(?=[\p{L}\p{N}_.]*[\p{L}_])[\p{L}\p{N}_][\p{L}\p{N}_.]{1,29}/iu,
    new RegExp(String.raw`\b${APPS}\b(?:\s+me)?${CONNECTOR}${HANDLE_LIKE}`, 'iu'),
    new RegExp(
      String.raw`\b(?:my|our)\s+${APPS}(?:\s+(?:name|user\s?name|handle|id|tag|account|acc))?\s*(?:\bis\b|:|=|-)\s*${A_NAME}`,
      'iu',
    ),
    new RegExp(
      String.raw`\b(?:add|follow|find|message|msg|dm|text|hmu|contact|reach)\s+(?:me\s+)?(?:on|at|via|over)\s+${APPS}\s*[:=-]?\s*${A_NAME}`,
      'iu',
    ),
  ],
  // "no numbers": a number next to a unit of weight, energy, BMI or a clothing size.
  numbers: [
    /\b\d+(\.\d+)?\s*(kg|kgs|kilos?|lbs?|pounds?|st|stone|cals?|kcals?|calories?)\b|\bbmi\s*(of|is|was|=|:)?\s*\d+|\b(size|uk)\s*\d{1,2}\b|\b\d{1,2}\s*(st|stone)\s*\d{1,2}\b/i,
  ],
};

/** A phrase as the matcher holds it: its forms (in `matchText` form) and its harmless uses. */
interface PhraseMatcher {
  forms: readonly string[];
  unlessFollowedBy: ReadonlySet<string>;
  unlessAfterNumber: boolean;
}

const compile = (p: CrisisPhrase): PhraseMatcher => ({
  forms: [p.phrase, ...(p.variants ?? [])].map(matchPhrase).filter(Boolean),
  unlessFollowedBy: new Set((p.unlessFollowedBy ?? []).map(matchPhrase)),
  unlessAfterNumber: p.unlessAfterNumber ?? false,
});
const CRISIS = new Map(CRISIS_PHRASES.map((p) => [p.phrase, compile(p)]));
const CRISIS_BY_FORM = new Map(
  [...CRISIS].flatMap(([phrase, m]) => m.forms.map((form) => [form, { phrase, m }] as const)),
);
// Every form of every crisis phrase in one pattern (longest first), so a message is read once.
const CRISIS_FORMS = new RegExp(
  `(?<= )(?:${[...CRISIS_BY_FORM.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})(?= )`,
  'g',
);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Staff phrases are compiled once each; the cache is bounded (a subnet has tens of rules).
const staffPhrases = new Map<string, PhraseMatcher>();
function staffPhrase(pattern: string): PhraseMatcher {
  let m = staffPhrases.get(pattern);
  if (!m) {
    if (staffPhrases.size >= 1000) staffPhrases.clear();
    m = compile({ phrase: pattern });
    staffPhrases.set(pattern, m);
  }
  return m;
}

/** Whether the match of a form at `at` in `words` is one of its harmless uses ("cut myself a slice", "5 kms"). */
function harmless(words: string, at: number, form: string, m: PhraseMatcher): boolean {
  const next = words.slice(at + form.length + 1).split(' ', 1)[0] ?? '';
  const before = words.slice(words.lastIndexOf(' ', at - 2) + 1, at - 1);
  return m.unlessFollowedBy.has(next) || (m.unlessAfterNumber && /^[0-9]+$/.test(before));
}

/** Whether a (staff) phrase's form occurs in `words` (a `matchText` result) other than in a harmless use. */
function occurs(words: string, form: string, m: PhraseMatcher): boolean {
  for (let at = words.indexOf(` ${form} `); at !== -1; at = words.indexOf(` ${form} `, at + 1)) {
    if (!harmless(words, at + 1, form, m)) return true;
  }
  return false;
}

/** The crisis phrases in `words`, in one pass; every position is tried, so overlapping forms are all found. */
function crisisIn(words: string): Set<string> {
  const found = new Set<string>();
  CRISIS_FORMS.lastIndex = 0;
  for (let hit = CRISIS_FORMS.exec(words); hit; hit = CRISIS_FORMS.exec(words)) {
    CRISIS_FORMS.lastIndex = hit.index + 1;
    const entry = CRISIS_BY_FORM.get(hit[0]);
    if (entry && !harmless(words, hit.index, hit[0], entry.m)) found.add(entry.phrase);
  }
  return found;
}

/** The texts a message is matched as, each worked out once and only when a rule needs it. */
class MatchInput {
  #words: string | undefined;
  #plain: string | undefined;
  #crisis: Set<string> | undefined;
  constructor(private readonly body: string) {}
  /** Words for phrases: case, spacing, punctuation and look-alikes folded. */
  get words(): string {
    return (this.#words ??= matchText(this.body));
  }
  /** The crisis phrases the words hold. */
  get crisis(): Set<string> {
    return (this.#crisis ??= crisisIn(this.words));
  }
  /** The text for detectors: NFKC ("＠" is "@"), invisible characters removed. */
  get plain(): string {
    return (this.#plain ??= this.body.normalize('NFKC').replace(/\p{Cf}/gu, ''));
  }
}

function matches(rule: WatchRule, input: MatchInput): boolean {
  if (rule.kind === 'builtin')
    return (DETECTORS[rule.pattern as BuiltinDetector] ?? []).some((re) => re.test(input.plain));
  if (rule.baseline && CRISIS.has(rule.pattern)) return input.crisis.has(rule.pattern);
  const m = staffPhrase(rule.pattern);
  return m.forms.some((form) => occurs(input.words, form, m));
}

/**
 * Whether a rule matches a message body: phrases match whole words after case, spacing,
 * punctuation and look-alike characters are folded; detectors find contact details or numbers.
 */
export function ruleMatches(rule: WatchRule, body: string): boolean {
  return matches(rule, new MatchInput(body));
}

/** Applies a room's rules in force (`rulesInForce`) to a message body; an alert phrase counts once. */
export function evaluateWatchedWords(body: string, rules: readonly WatchRule[]): WatchResult {
  const input = new MatchInput(body);
  const matched = rules.filter((r) => matches(r, input));
  const alerts: WatchRule[] = [];
  const seen = new Set<string>();
  for (const r of matched) {
    const key = r.kind === 'phrase' ? `phrase:${matchPhrase(r.pattern)}` : `builtin:${r.pattern}`;
    if (r.action !== 'alert' || seen.has(key)) continue;
    seen.add(key);
    alerts.push(r);
  }
  return { hold: matched.find((r) => r.action === 'hold') ?? null, alerts };
}

/** Whether a phrase is already one of the crisis phrases (or one of their variants). */
export function isCrisisPhrase(phrase: string): boolean {
  return CRISIS_BY_FORM.has(matchPhrase(phrase));
}

const BASELINE_ALERT_RULES: readonly WatchRule[] = CRISIS_PHRASES.map((p) => ({
  id: null,
  kind: 'phrase',
  pattern: p.phrase,
  action: 'alert',
  baseline: true,
}));
const BASELINE_HOLD_RULES: readonly WatchRule[] = BASELINE_HOLDS.map((d) => ({
  id: null,
  kind: 'builtin',
  pattern: d,
  action: 'hold',
  baseline: true,
}));

/**
 * The rules in force in a room: the baseline's alerts always, its holds unless the subnet switched
 * them off, then the rules staff added (a stored alert on a crisis phrase is the baseline's already).
 */
export function rulesInForce(stored: readonly WatchRule[], switchedOff: Iterable<string>): WatchRule[] {
  const off = new Set(switchedOff);
  return [
    ...BASELINE_ALERT_RULES,
    ...BASELINE_HOLD_RULES.filter((r) => !off.has(r.pattern)),
    ...stored.filter((r) => !(r.kind === 'phrase' && r.action === 'alert' && isCrisisPhrase(r.pattern))),
  ];
}
