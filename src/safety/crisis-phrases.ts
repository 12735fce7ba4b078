/**
 * The crisis phrases: words of suicide and self-harm that every subnet alerts on from its first
 * minute (the safety baseline; docs/clinical-safety/hazard-log.md, "A new service starts without
 * crisis alerting"). A match delivers the message, alerts staff and shows the sender supportive
 * words with the crisis contacts. No subnet can switch these off; staff add their own phrases on
 * the watched-words page.
 *
 * Maintained by the Clinical Safety Officer with the clinical leads of the services: a change here
 * is a change to the hazard log's controls and is reviewed as one (clinical sign-off in the pull
 * request, an entry in the log's review).
 *
 * How to add a phrase:
 * - Write it in lower case, words separated by single spaces, as a person would type it. Add it to
 *   the `variants` of the entry it means (the entry's `phrase` is what staff see as the watched
 *   word) or as a new entry.
 * - Do NOT add capitals, extra spaces, punctuation between words ("self-harm", "end.it.all") or
 *   look-alike characters ("k1ll mys3lf", "$uicide", Cyrillic letters): the matcher folds those
 *   itself (src/moderation/match-text.ts). DO add misspellings ("sucide"), run-together forms
 *   ("selfharm"), slang ("kms", "unalive") and apostrophe-free forms ("dont", never "don't").
 * - Phrases match whole words anywhere in a message. Where a phrase has a common harmless use,
 *   name it: `unlessFollowedBy` words ("cut myself a slice") or `unlessAfterNumber` ("5 kms").
 *   Prefer an alert too many to one too few: a false alarm costs a moderator a look.
 * - Add the new form to the cases in test/chat/crisis-phrases.test.ts.
 */

export interface CrisisPhrase {
  /** What staff see as the matched watched word (the alert's `matched`). */
  phrase: string;
  /** Other ways of writing the same thing: tenses, spellings, slang. */
  variants?: readonly string[];
  /** A match followed by one of these words is an ordinary use, not an alert. */
  unlessFollowedBy?: readonly string[];
  /** A match right after a number is an ordinary use ("ran 5 kms"), not an alert. */
  unlessAfterNumber?: boolean;
}

export const CRISIS_PHRASES: readonly CrisisPhrase[] = [
  // Suicide.
  { phrase: 'end it all', variants: ['ending it all', 'end it al'] },
  {
    phrase: 'kill myself',
    variants: ['killing myself', 'kil myself', 'kill my self', 'killmyself', 'kill meself', 'kill myslef'],
    unlessFollowedBy: ['laughing'],
  },
  { phrase: 'kms', unlessAfterNumber: true },
  {
    phrase: 'want to die',
    variants: [
      'wanna die',
      'want 2 die',
      'wanting to die',
      'want to be dead',
      'wish i was dead',
      'wish i were dead',
      'ready to die',
    ],
  },
  {
    phrase: 'suicide',
    variants: [
      'suicidal',
      'sucide',
      'suicde',
      'suiside',
      'suicidle',
      'sucidal',
      'suicidial',
      'suicidel',
      'suicidality',
      'sewer slide',
    ],
  },
  { phrase: 'unalive', variants: ['unalive myself', 'unaliving', 'unalived'] },
  {
    phrase: 'take my own life',
    variants: ['take my life', 'taking my own life', 'taking my life', 'took my own life'],
  },
  { phrase: 'end my life', variants: ['ending my life', 'end my own life'] },
  {
    phrase: 'not be here anymore',
    variants: [
      'not be here any more',
      'not want to be here anymore',
      'dont want to be here anymore',
      'dont want to be here any more',
      'not be around anymore',
      'wont be here tomorrow',
    ],
  },
  {
    phrase: 'better off without me',
    variants: ['better off dead', 'better off if i was gone', 'better off if i wasnt here', 'better off if i was dead'],
  },
  {
    phrase: "don't want to live",
    variants: [
      'dont want to live',
      'do not want to live',
      'dont want to be alive',
      'do not want to be alive',
      'dont wanna live',
      'no reason to live',
      'nothing to live for',
      'no point living',
      'no point in living',
      'no point being alive',
    ],
  },
  { phrase: 'hang myself', variants: ['hanging myself', 'hang my self'] },
  { phrase: 'jump in front of a train', variants: ['jump off a bridge', 'jump off a building'] },
  { phrase: 'never wake up again', variants: ['dont want to wake up', 'not want to wake up'] },
  // Self-harm.
  {
    phrase: 'self harm',
    variants: [
      'selfharm',
      'self harming',
      'selfharming',
      'self harmed',
      'self harmer',
      'self injury',
      'self injure',
      'self injuring',
    ],
  },
  {
    phrase: 'cut myself',
    variants: [
      'cutting myself',
      'cut my self',
      'cuttin myself',
      'cut my wrists',
      'cutting my wrists',
      'slit my wrists',
    ],
    unlessFollowedBy: ['a', 'an', 'some', 'off', 'free', 'short', 'loose', 'out'],
  },
  { phrase: 'harm myself', variants: ['harming myself', 'harm my self'] },
  { phrase: 'hurt myself', variants: ['hurting myself', 'hurt my self'] },
  { phrase: 'burn myself', variants: ['burning myself'] },
  { phrase: 'overdose', variants: ['overdosed', 'overdosing', 'over dose', 'od', 'oding', 'oded'] },
];
