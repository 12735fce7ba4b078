import type { Db } from '../db/knex.js';
import { findTaken } from '../auth/auth.service.js';
import { takenErrors } from '../auth/identity-taken.js';
import { Nickname, Username } from '../auth/identity.schemas.js';
import { NewPassword } from '../auth/passwords.js';
import { formErrors, parseForm, type FieldError, type FormErrors } from '../http/forms.js';
import { lockOpenKey } from './keys.repo.js';
import { KeyCode, RedeemKeyBody, redeemCrossChecks, type RedeemKeyInput } from './keys.schemas.js';
import { hashKeyCode, KEY_NOT_VALID } from './keys.service.js';

const FIELD_ORDER = ['key', 'username', 'nickname', 'password'];

/** The value of one field when it is valid on its own, else undefined. */
function fieldValue<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, v: unknown) {
  const r = schema.safeParse(v);
  return r.success ? r.data : undefined;
}

/** What the database says about the fields that are valid on their own: the key, the username, the nickname. */
async function databaseProblems(
  db: Db,
  key: string | undefined,
  username: string | undefined,
  nickname: string | undefined,
): Promise<FieldError[]> {
  const problems: FieldError[] = [];
  if (key && !(await lockOpenKey(db, hashKeyCode(key)))) problems.push({ field: 'key', message: KEY_NOT_VALID });
  if (username === undefined && nickname === undefined) return problems;
  // A field that is not valid yet is looked up as '' (matches nobody) and its answer ignored.
  const taken = await findTaken(db, username ?? '', nickname ?? '');
  return [
    ...problems,
    ...takenErrors({ username: username !== undefined && taken.username, nickname: nickname ? taken.nickname : null }),
  ];
}

/**
 * Checks a /join form in one round: every field's own rules, the rules across fields, whether the
 * key is open and whether the username and nickname (or a look-alike) are free. Returns the input
 * when all is well, else every problem at once (one per field, in the form's order) and whether
 * the key itself was refused (for the redeem rate limit).
 */
export async function checkJoinForm(
  db: Db,
  body: unknown,
): Promise<{ ok: true; data: RedeemKeyInput } | { ok: false; errors: FormErrors; keyRefused: boolean }> {
  const form = parseForm(RedeemKeyBody, body);
  const raw = (body ?? {}) as Record<string, unknown>;
  const key = fieldValue(KeyCode, raw.key);
  const username = fieldValue(Username, raw.username);
  const nickname = fieldValue(Nickname, raw.nickname);
  const password = fieldValue(NewPassword, raw.password);
  const list = [
    ...(form.ok ? [] : form.errors.list),
    ...redeemCrossChecks({ username, nickname, password }),
    ...(await databaseProblems(db, key, username, nickname)),
  ];
  if (form.ok && list.length === 0) return { ok: true, data: form.data };
  const rank = (f: string) => (FIELD_ORDER.includes(f) ? FIELD_ORDER.indexOf(f) : FIELD_ORDER.length);
  const firstPerField = list.filter((e, i) => list.findIndex((o) => o.field === e.field) === i);
  const errors = formErrors(firstPerField.sort((a, b) => rank(a.field) - rank(b.field)));
  return { ok: false, errors, keyRefused: errors.byField.key === KEY_NOT_VALID };
}
