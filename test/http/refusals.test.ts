import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHAT_REFUSAL_CODES,
  REFUSAL_CODES,
  refusalSentence,
  refusalSentences,
  TRANSPORT_CODES,
  type RefusalCode,
} from '../../src/http/refusals.js';
import { DENY_REASONS } from '../../src/policy/index.js';

const LIMITS = { maxLength: 2000 };

describe('one refusal vocabulary for the server and the browser', () => {
  it('covers every policy reason, every chat refusal and every socket code', () => {
    for (const code of [...DENY_REASONS, ...CHAT_REFUSAL_CODES, ...TRANSPORT_CODES])
      expect(REFUSAL_CODES).toContain(code);
  });

  it.each(REFUSAL_CODES)('%s has a sentence of its own words, with no code or placeholder in it', (code) => {
    const sentence = refusalSentence(code, LIMITS);
    expect(sentence.length).toBeGreaterThan(10);
    expect(sentence).not.toMatch(/_|\$\{|undefined/);
    expect(refusalSentences(LIMITS)[code]).toBe(sentence);
  });

  it('a code with no sentence is a fault, not a quiet fallback', () => {
    expect(() => refusalSentence('teleport' as RefusalCode, LIMITS)).toThrow(/No rule/);
  });

  it('the reasons that keep something hidden say no more than "not found" does', () => {
    for (const code of [
      'not_in_subnet',
      'not_in_cohort',
      'membership_ended',
      'not_owner',
      'not_published',
      'awaiting_moderation',
      'content_removed',
    ] as const) {
      expect(refusalSentence(code, LIMITS)).toBe(refusalSentence('not_found', LIMITS));
    }
  });

  it("the read-only reason and the socket's read_only code say the same; the length limit is named", () => {
    expect(refusalSentence('read_only_now', LIMITS)).toBe(refusalSentence('read_only', LIMITS));
    expect(refusalSentence('too_long', LIMITS)).toContain('2000 characters');
  });

  it("the browser script keeps no table of its own: it reads the page's data-refusals", () => {
    const script = readFileSync(new URL('../../public/js/living-room.js', import.meta.url), 'utf8');
    expect(script).toContain('JSON.parse(root.dataset.refusals)');
    expect(script).not.toMatch(/read_only:\s*'/);
  });
});
