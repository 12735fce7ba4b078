import { nicknameSkeleton } from '../auth/nickname-skeleton.js';

// Text as the phrase matcher compares it: pure, and the same for a message and for a phrase, so
// that "END  it.all", "k1ll mys3lf" and "$uicide" meet "end it all", "kill myself" and "suicide".

/** Characters that change nothing on screen (zero-width spaces and joiners, direction marks). */
const INVISIBLE = /\p{Cf}/gu;
/** Apostrophes go, so "don't" and "dont" are one word. */
const APOSTROPHES = /['’‘ʼ`´]/g;
/** Symbols used for letters, only where a letter or digit follows ("$uicide", "h@ng", not "all!"). */
const SYMBOL_LETTERS: Record<string, string> = { '@': 'a', $: 's', '!': 'i', '|': 'l' };
const SYMBOLS = /[@$!|](?=[\p{L}\p{N}])/gu;
/** A number standing alone ("5 kms", "10 pm"): kept as digits, not read as letters. */
const BARE_NUMBER = /(?<![\p{L}\p{N}])[0-9]+(?![\p{L}\p{N}])/gu;
// Private-use stand-ins keep a bare number's digits away from the look-alike mapping.
const PROTECT_BASE = 0xe000;
const PROTECTED = /[\ue000-\ue009]/gu;
/** Digits the confusable skeleton leaves as they are (it already maps 0, 1, 5 and 8). */
const DIGIT_LETTERS: Record<string, string> = { '3': 'e', '4': 'a', '7': 't', '9': 'g' };
const DIGITS = /[3479]/g;
// Most messages are plain ASCII (with bare numbers' stand-ins): their skeleton maps the few ASCII
// characters the skeleton function changes, read from that function itself (so the two cannot
// drift); other text takes the full Unicode path.
const ASCII_CHANGES = new Map<string, string>();
for (let code = 0; code < 128; code++) {
  const c = String.fromCharCode(code);
  const k = nicknameSkeleton(c);
  if (k !== c) ASCII_CHANGES.set(c, k);
}
const ASCII_CHANGED = new RegExp(
  `[${[...ASCII_CHANGES.keys()].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]`,
  'g',
);
const NOT_ASCII = /[^\p{ASCII}\ue000-\ue009]/u;
const skeleton = (s: string): string =>
  !NOT_ASCII.test(s) ? s.replace(ASCII_CHANGED, (c) => ASCII_CHANGES.get(c) ?? c) : nicknameSkeleton(s);
/** Spaces and punctuation between words, found before the skeleton (which maps a dash to a letter). */
const BETWEEN_WORDS = /[^\p{L}\p{N}\p{M}\ue000-\ue009]+/gu;

/**
 * A text's words for phrase matching, joined by single spaces with a space at each end: NFKC,
 * invisible characters and apostrophes removed, look-alike symbols and digits inside words read
 * as letters, then the confusable skeleton (case folded, accents removed, Unicode look-alikes
 * mapped: src/auth/nickname-skeleton.ts), and any run of spaces or punctuation made one space.
 * A number standing on its own stays a number. Not for display.
 */
export function matchText(text: string): string {
  const prepared = text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(APOSTROPHES, '')
    .replace(SYMBOLS, (c) => SYMBOL_LETTERS[c] ?? c)
    .replace(BARE_NUMBER, (n) => Array.from(n, (d) => String.fromCharCode(PROTECT_BASE + Number(d))).join(''))
    .replace(BETWEEN_WORDS, ' ');
  const words = skeleton(prepared)
    .replace(DIGITS, (d) => DIGIT_LETTERS[d] ?? d)
    .replace(PROTECTED, (c) => String(c.charCodeAt(0) - PROTECT_BASE))
    .split(' ')
    .filter(Boolean);
  return words.length ? ` ${words.join(' ')} ` : ' ';
}

/** A phrase in the same form as `matchText`, without the surrounding spaces ('' when it has no words). */
export function matchPhrase(phrase: string): string {
  return matchText(phrase).trim();
}
