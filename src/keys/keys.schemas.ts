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

export const RedeemKeyBody = z
  .strictObject({
    key: KeyCode,
    username: Username,
    nickname: Nickname,
    password: NewPassword,
    _csrf: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.nickname.toLowerCase() === v.username.toLowerCase()) {
      ctx.addIssue({
        code: 'custom',
        path: ['nickname'],
        message: 'Choose a nickname that is different from your username, so nobody can learn how you sign in',
      });
    }
    if (v.password.toLowerCase().includes(v.username.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'Your password must not contain your username' });
    }
  });
export type RedeemKeyInput = z.infer<typeof RedeemKeyBody>;

export const JoinQuery = z.object({ key: z.string().max(40).optional() }).loose();
