import type { FieldError } from '../http/forms.js';
import { isUniqueViolation } from '../db/errors.js';
import type { NicknameClash } from './users.repo.js';

export const USERNAME_TAKEN = 'That username is taken. Choose another one';
export const NICKNAME_TAKEN = 'That nickname is taken. Choose another one';
export const WORK_EMAIL_TAKEN = 'Another staff account already has that work email';
export const NICKNAME_TOO_CLOSE = "That nickname is too close to someone else's. Choose another.";

/** The form errors for what findTaken found: none when both names are free. */
export function takenErrors(taken: { username: boolean; nickname: NicknameClash }): FieldError[] {
  return [
    ...(taken.username ? [{ field: 'username', message: USERNAME_TAKEN }] : []),
    ...(taken.nickname
      ? [{ field: 'nickname', message: taken.nickname === 'taken' ? NICKNAME_TAKEN : NICKNAME_TOO_CLOSE }]
      : []),
  ];
}

// The unique indexes on users (migrations 20261121000100_users and 20261121002900_nickname_skeleton).
const ERROR_OF_INDEX = new Map<string, FieldError>([
  ['users_username_lower_idx', { field: 'username', message: USERNAME_TAKEN }],
  ['users_nickname_lower_idx', { field: 'nickname', message: NICKNAME_TAKEN }],
  ['users_nickname_skeleton_idx', { field: 'nickname', message: NICKNAME_TOO_CLOSE }],
  ['users_work_email_unique', { field: 'workEmail', message: WORK_EMAIL_TAKEN }],
]);

/**
 * The form error for a unique violation on users, raised when two people chose the same or
 * look-alike names at the same instant (the index decides who was first); undefined for any
 * other error.
 */
export function takenErrorOfViolation(e: unknown): FieldError | undefined {
  if (!isUniqueViolation(e)) return undefined;
  return ERROR_OF_INDEX.get(String((e as { constraint?: unknown }).constraint));
}
