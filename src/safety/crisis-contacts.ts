/**
 * Crisis contacts: the UK numbers every person is shown first, then a service's own. Every page,
 * message and box that shows crisis contacts takes them from here (views/partials/crisis-contacts.ejs
 * for pages, `crisisContactsText` for plain text), so a service's own text can add to the UK
 * numbers but never hide or replace them.
 */

/** A piece of a line: text, or a phone number with the number to ring (digits, a leading + kept). */
export interface Segment {
  text: string;
  tel?: string;
}

/** One line of contacts, split so that every phone number in it can be a `tel:` link. */
export type ContactLine = Segment[];

/** The UK defaults, in this order: an emergency first, then NHS 111 option 2, then Samaritans. */
export const UK_CRISIS_LINES: readonly string[] = [
  'If you are in danger or have seriously hurt yourself, call 999 or go to A&E now.',
  'For urgent mental health help, call NHS 111 and choose option 2, day or night.',
  'Call Samaritans free on 116 123, any time.',
];

// UK numbers as people write them: 0161 496 0123, (0161) 496 0123, 0800-58-58-58, +44 (0)161 496 0123
// (10 or 11 digits with the 0, separated by spaces, dashes or brackets), and the short numbers 999,
// 111, 112 and 116 xxx (Samaritans, Childline). Not part of a longer word or number, so a year,
// a time, "option 2" or "text 85258" stay text.
const PHONE =
  /(?<![\w+])(?:(?:\+44[ \u00a0]?(?:\(0\)[ \u00a0]?)?|\(?0)\d(?:[ \u00a0)-]{0,2}\d){8,9}|999|111|112|116[ \u00a0-]?\d{3})(?!\w)/g;

/** The number to dial for a number as written: its digits, with a leading + for international form. */
function dialable(written: string): string {
  const digits = written.replace('(0)', '').replace(/\D/g, '');
  return written.startsWith('+') ? `+${digits}` : digits;
}

/** Splits one line of text into text and phone numbers; text stays text, exactly as written. */
export function telSegments(line: string): ContactLine {
  const segments: ContactLine = [];
  let at = 0;
  for (const m of line.matchAll(PHONE)) {
    if (m.index > at) segments.push({ text: line.slice(at, m.index) });
    segments.push({ text: m[0], tel: dialable(m[0]) });
    at = m.index + m[0].length;
  }
  if (at < line.length) segments.push({ text: line.slice(at) });
  return segments;
}

/** A service's own contacts as written by an admin: one line each, blank lines dropped. */
function ownLines(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

export interface ServiceContacts {
  /** The service's name, when the page lists several (the crisis page); null for one room's service. */
  name: string | null;
  lines: ContactLine[];
}

export interface CrisisContacts {
  /** Always present, always first. */
  defaults: ContactLine[];
  /** Services with contacts of their own, after the defaults (services without any are left out). */
  services: ServiceContacts[];
}

/**
 * The crisis contacts to show: the UK defaults, then a service's own (one service's text, or
 * several services by name). Nothing a service writes can remove or reorder the defaults.
 */
export function crisisContacts(
  own: string | null | undefined | readonly { name: string; crisisContacts: string }[] = '',
): CrisisContacts {
  const sources =
    typeof own === 'string' || own === null || own === undefined
      ? [{ name: null, text: own }]
      : own.map((s) => ({ name: s.name, text: s.crisisContacts }));
  return {
    defaults: UK_CRISIS_LINES.map(telSegments),
    services: sources
      .map((s) => ({ name: s.name, lines: ownLines(s.text).map(telSegments) }))
      .filter((s) => s.lines.length > 0),
  };
}

/** The same contacts as one paragraph of plain text (the UK defaults first), for messages. */
export function crisisContactsText(own?: string | null): string {
  return [...UK_CRISIS_LINES, ...ownLines(own)].join(' ');
}
