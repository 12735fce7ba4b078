import { randomInt } from 'node:crypto';
import { suppress } from '../evaluation/suppression.js';

/**
 * Written (free-text) survey answers as staff may see them: never with a nickname or a date, only
 * once a question has at least FREE_TEXT_MINIMUM answers, and in a new random order on every view,
 * so that no answer can be tied to the person who wrote it by name, time or position. Pure: the
 * random source is passed in (tests pass a seeded one).
 */

/** The fewest written answers to a question before any of them is shown (as small-number suppression). */
export const FREE_TEXT_MINIMUM = 5;

/** A whole number from 0 to `below - 1`, uniformly. */
export type RandomIndex = (below: number) => number;

/** The default random source: the operating system's, so the order cannot be predicted. */
export const secureRandomIndex: RandomIndex = (below) => randomInt(below);

/** A shuffled copy: each item drawn at random from those left, so every order is equally likely for a uniform source. */
export function shuffled<T>(items: readonly T[], randomIndex: RandomIndex): T[] {
  const left = [...items];
  const out: T[] = [];
  while (left.length > 0) out.push(...left.splice(randomIndex(left.length), 1));
  return out;
}

export type FreeTextResult =
  | { shown: true; count: number; answers: string[] }
  /** `count` as suppressed ("0" or "<5"): the exact number below the minimum is never shown. */
  | { shown: false; count: string };

/** What staff may see of the written answers to one question (texts only, nothing about who or when). */
export function freeTextResult(texts: readonly string[], randomIndex: RandomIndex): FreeTextResult {
  if (texts.length < FREE_TEXT_MINIMUM) return { shown: false, count: suppress(texts.length) };
  return { shown: true, count: texts.length, answers: shuffled(texts, randomIndex) };
}
