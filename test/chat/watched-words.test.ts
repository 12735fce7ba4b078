import { describe, expect, it } from 'vitest';
import { evaluateWatchedWords, type WatchRule } from '../../src/moderation/watched-words.js';

const rule = (id: number, kind: WatchRule['kind'], pattern: string, action: WatchRule['action']): WatchRule => ({
  id,
  kind,
  pattern,
  action,
});
const contact = [
  rule(1, 'builtin', 'email', 'hold'),
  rule(2, 'builtin', 'phone', 'hold'),
  rule(3, 'builtin', 'link', 'hold'),
];
const numbers = rule(4, 'builtin', 'numbers', 'hold');
const alertWord = rule(5, 'phrase', 'end it all', 'alert');

describe('watched words', () => {
  it.each([
    ['my email is sam@example.com', 1],
    ['ring me on 07700 900 123', 2],
    ['text +44 7700 900123', 2],
    ['see https://example.org/x', 3],
    ['look at www.example.com', 3],
    ['my page is example.co.uk', 3],
  ])('holds contact details: %s', (body, id) => {
    expect(evaluateWatchedWords(body, contact).hold?.id).toBe(id);
  });

  it.each(['I am 45kg now', 'had 1200 calories', 'my BMI is 16', 'a size 6 dress', 'down to 7 st 2', '110 lbs'])(
    'the eating-disorder "no numbers" rule holds: %s',
    (body) => {
      expect(evaluateWatchedWords(body, [numbers]).hold?.id).toBe(4);
    },
  );

  it.each(['I had a good day', 'see you at 3', 'it took 2 weeks', 'room 101 was quiet'])(
    'ordinary messages pass: %s',
    (body) => {
      expect(evaluateWatchedWords(body, [...contact, numbers, alertWord])).toEqual({ hold: null, alerts: [] });
    },
  );

  it('an alert phrase matches whole words in any case and spacing, and does not hold', () => {
    expect(evaluateWatchedWords('I want to END  it all tonight', [alertWord]).alerts.map((r) => r.id)).toEqual([5]);
    expect(evaluateWatchedWords('the legend it allows', [alertWord]).alerts).toEqual([]);
    expect(evaluateWatchedWords('I want to end it all', [alertWord]).hold).toBeNull();
  });

  it('hold wins over alert when both match, and the alert is still reported', () => {
    const r = evaluateWatchedWords('end it all, call me 07700900123', [...contact, alertWord]);
    expect(r.hold?.id).toBe(2);
    expect(r.alerts.map((a) => a.id)).toEqual([5]);
  });

  it('phrases with regex characters are matched literally', () => {
    expect(evaluateWatchedWords('why (not)?', [rule(6, 'phrase', '(not)?', 'alert')]).alerts).toHaveLength(1);
    expect(evaluateWatchedWords('why no', [rule(6, 'phrase', '(not)?', 'alert')]).alerts).toHaveLength(0);
  });
});
