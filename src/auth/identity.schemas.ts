import { z } from 'zod';

/** A private sign-in name: letters, digits, dot, dash, underscore. Stored lower-case. */
export const Username = z
  .string({ error: 'Enter a username' })
  .trim()
  .min(3, 'Your username must be at least 3 characters')
  .max(32, 'Your username must be 32 characters or fewer')
  .regex(/^[A-Za-z0-9._-]+$/, 'Your username can only use letters, numbers, dots, dashes and underscores')
  .transform((s) => s.toLowerCase());

// Words that would make a member look like staff. Checked after folding look-alike digits and symbols.
const STAFF_WORDS = [
  'moderator',
  'modteam',
  'clinician',
  'nhs',
  'admin',
  'doctor',
  'nurse',
  'therapist',
  'staff',
  'sharon',
];
const FOLD: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '!': 'i',
  '|': 'i',
};

/** Folds a nickname to letters only, mapping look-alike digits and symbols, for the staff-word check. */
export function foldForComparison(nickname: string): string {
  return nickname
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split('')
    .map((c) => FOLD[c] ?? c)
    .join('')
    .replace(/[^a-z]/g, '');
}

const looksLikeEmail = (s: string) => /[^\s@]+@[^\s@]+\.[^\s@]+/.test(s) || /\bat\b.*\bdot\b/i.test(s);
const looksLikePhone = (s: string) => (s.match(/\d/g) ?? []).length >= 6;
const looksLikeUrl = (s: string) => /(https?|www)|\.(com|co|uk|org|net|io|me|ly)\b/i.test(s);

/**
 * The public nickname. Normalised (NFC), Latin letters, digits, spaces and a little punctuation:
 * that also refuses control, zero-width and direction-override characters and other scripts'
 * look-alikes. Explains kindly why contact details and staff words are not allowed.
 */
export const Nickname = z
  .string({ error: 'Enter a nickname' })
  .transform((s) => s.normalize('NFKC').trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(3, 'Your nickname must be at least 3 characters')
      .max(30, 'Your nickname must be 30 characters or fewer')
      .refine(
        (s) => !looksLikeEmail(s),
        'Your nickname looks like an email address. To keep you anonymous, choose a name that does not contain contact details',
      )
      .refine(
        (s) => !looksLikeUrl(s),
        'Your nickname looks like a web address. To keep you anonymous, choose a name that does not contain a link',
      )
      .refine(
        (s) => !looksLikePhone(s),
        'Your nickname looks like a phone number. To keep you anonymous, choose a name with fewer numbers',
      )
      .refine(
        (s) => /^[\p{Script=Latin}0-9 '._-]+$/u.test(s),
        "Your nickname can only use letters, numbers, spaces and the characters ' . _ -",
      )
      .refine(
        (s) => !STAFF_WORDS.some((w) => foldForComparison(s).includes(w)),
        'Your nickname must not look like a staff title, such as moderator, clinician, NHS or admin, so that everyone can tell who staff are',
      ),
  );
