import { z } from 'zod';
import { MEMBER_ROLES } from '../policy/index.js';
import { Nickname, Username } from '../auth/identity.schemas.js';
import { NewPassword } from '../auth/passwords.js';

/** A key as typed: any case, spaces or dashes allowed; 16 characters of Crockford base32. */
export const KeyCode = z
  .string({ error: 'Enter your key' })
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'Enter your key')
      .regex(
        /^[0-9A-HJKMNP-TV-Z]{16}$/,
        'Enter the key exactly as it was given to you, for example ABCD-EFGH-JKMN-PQRS',
      ),
  );

export const IssueKeyBody = z.strictObject({
  cohortId: z.uuid({ error: 'Choose the group this person joins' }),
  role: z.enum(MEMBER_ROLES, { error: 'Choose who this key is for' }),
  privateReference: z
    .string()
    .trim()
    .max(200, 'The private reference must be 200 characters or fewer')
    .optional()
    .default(''),
  expiryDays: z.coerce
    .number({ error: 'Enter a number of days' })
    .int('Enter a whole number of days')
    .min(1, 'A key must last at least 1 day')
    .max(90, 'A key can last at most 90 days'),
  _csrf: z.string().optional(),
});
export type IssueKeyInput = z.infer<typeof IssueKeyBody>;

/**
 * The rules across the join fields, for the values that are valid on their own (undefined when not
 * yet): the nickname must not give the username away, nor the password contain it.
 */
export function redeemCrossChecks(v: {
  username?: string | undefined;
  nickname?: string | undefined;
  password?: string | undefined;
}): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (!v.username) return problems;
  const username = v.username.toLowerCase();
  if (v.nickname?.toLowerCase() === username)
    problems.push({
      field: 'nickname',
      message: 'Choose a nickname that is different from your username, so nobody can learn how you sign in',
    });
  if (v.password?.toLowerCase().includes(username))
    problems.push({ field: 'password', message: 'Your password must not contain your username' });
  return problems;
}

export const RedeemKeyBody = z
  .strictObject({
    key: KeyCode,
    username: Username,
    nickname: Nickname,
    password: NewPassword,
    _csrf: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    for (const p of redeemCrossChecks(v)) ctx.addIssue({ code: 'custom', path: [p.field], message: p.message });
  });
export type RedeemKeyInput = z.infer<typeof RedeemKeyBody>;

export const JoinQuery = z.object({ key: z.string().max(40).optional() }).loose();
