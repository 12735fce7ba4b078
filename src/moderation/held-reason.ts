import { BUILTIN_LABELS, type WatchRule } from './watched-words.js';

// Which rule held a message, stored with it (messages.held_reason) when it is held, and shown to
// moderators in the queue ("Held by: Phone numbers"). Stored as the rule's kind and pattern rather
// than its id, so the queue still says why after the rule is edited or deleted.

/** Held because nobody was on duty and the room's cover rule holds members' messages. */
export const COVER_HOLD = 'cover';

/** The stored reason for a message a watched-word rule held: `builtin:phone`, `phrase:meet up`. */
export function heldReasonOf(rule: Pick<WatchRule, 'kind' | 'pattern'>): string {
  return `${rule.kind}:${rule.pattern}`.slice(0, 120);
}

/**
 * What a moderator reads for a stored reason. Reasons stored before the kind was recorded are a
 * bare pattern: a built-in detector's name, else a phrase.
 */
export function heldReasonLabel(reason: string | null): string {
  if (!reason) return 'Not recorded';
  if (reason === COVER_HOLD) return 'Nobody on duty (the room’s cover rule)';
  const parts = /^(builtin|phrase):([\s\S]*)$/.exec(reason);
  const kind = parts?.[1] ?? null;
  const pattern = parts?.[2] ?? reason;
  const builtin = (BUILTIN_LABELS as Record<string, string | undefined>)[pattern];
  if (kind !== 'phrase' && builtin) return builtin;
  if (kind === 'builtin') return `Detector “${pattern}”`;
  return `The phrase “${pattern}”`;
}
