/**
 * The one refusal vocabulary: every code the policy, the chat service, a socket ack or the browser
 * itself can give, and the sentence a person is shown for it. The server puts these sentences in
 * its forms' error summaries; the living room's page carries the same table (a JSON data attribute)
 * for its browser script, so a code means the same words wherever it is met.
 */
import { DENY_REASONS, type DenyReason } from '../policy/index.js';
import { assertNever } from '../policy/helpers.js';

/** What a chat send can be refused for besides the policy's reasons (ChatRefusal). */
export const CHAT_REFUSAL_CODES = ['empty', 'too_long', 'rate_limited', 'muted', 'not_available'] as const;
export type ChatRefusalCode = (typeof CHAT_REFUSAL_CODES)[number];

/**
 * What a socket ack or the browser says went wrong: a hidden target, a refusal, the read-only cover,
 * an ended session, a malformed event, the database away, a fault, no answer in time, too many
 * connections at the handshake.
 */
export const TRANSPORT_CODES = [
  'not_found',
  'forbidden',
  'read_only',
  'unauthenticated',
  'invalid',
  'unavailable',
  'internal',
  'timeout',
  'too_many_connections',
] as const;
export type TransportCode = (typeof TRANSPORT_CODES)[number];

export type RefusalCode = DenyReason | ChatRefusalCode | TransportCode;
export const REFUSAL_CODES: readonly RefusalCode[] = [
  ...new Set<RefusalCode>([...DENY_REASONS, ...CHAT_REFUSAL_CODES, ...TRANSPORT_CODES]),
];

/** Limits some sentences name. */
export interface RefusalLimits {
  /** The longest chat message, in characters. */
  maxLength: number;
}

const READ_ONLY =
  'While no clinician or peer moderator is on duty this room is read-only. If you need help now, use the crisis contacts on this page';
const GONE = 'You can no longer post in this room';
const NOT_ALLOWED = 'You cannot do that here';

/**
 * The sentence for a refusal code. Every code has one (the switch has no default, so a new code
 * does not compile until it has its words). Reasons that keep something hidden say no more than
 * "not found" does.
 */
export function refusalSentence(code: RefusalCode, limits: RefusalLimits): string {
  switch (code) {
    case 'empty':
      return 'Write a message before you send it';
    case 'too_long':
      return `Your message is too long. Keep it to ${limits.maxLength} characters`;
    case 'rate_limited':
      return 'You are sending messages very quickly. Wait a few seconds and send it again';
    case 'muted':
      return 'A moderator has paused your posts in this room for a while';
    case 'read_only':
    case 'read_only_now':
      return READ_ONLY;
    case 'not_available':
      return 'This room is not taking messages at the moment';
    case 'thread_locked':
      return 'This thread is locked: it takes no more replies';
    case 'always_on':
      return 'The crisis alerts are always on: nobody can switch them off';
    case 'unauthenticated':
    case 'account_inactive':
      return 'You have been signed out. Sign in again to carry on';
    case 'not_found':
    case 'membership_ended':
    case 'not_in_subnet':
    case 'not_in_cohort':
    case 'not_owner':
    case 'not_published':
    case 'awaiting_moderation':
    case 'content_removed':
      return GONE;
    case 'forbidden':
    case 'role_not_permitted':
    case 'not_a_member_account':
    case 'not_a_staff_account':
    case 'own_account':
    case 'account_not_active':
    case 'account_not_suspended':
      return NOT_ALLOWED;
    case 'invalid':
      return 'That could not be sent. Refresh the page and try again';
    case 'unavailable':
      return 'SHaRON cannot save messages just now. Your message has not been sent yet: it is kept here. If it is still here in a minute, send it again';
    case 'timeout':
      return 'No answer from SHaRON. Check your connection; your message will be sent again when you reconnect';
    case 'too_many_connections':
      return 'SHaRON is open in too many tabs or windows. Close some and refresh this page';
    case 'internal':
      return 'Something went wrong. Try again';
    default:
      return assertNever(code);
  }
}

/** Every code's sentence, for the browser (the living room's `data-refusals`). */
export function refusalSentences(limits: RefusalLimits): Record<RefusalCode, string> {
  return Object.fromEntries(REFUSAL_CODES.map((code) => [code, refusalSentence(code, limits)])) as Record<
    RefusalCode,
    string
  >;
}
