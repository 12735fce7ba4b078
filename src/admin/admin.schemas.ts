import { z } from 'zod';
import { ROOM_KINDS, STAFF_ROLES } from '../policy/index.js';
import { Nickname, Username } from '../auth/identity.schemas.js';
import { NewPassword } from '../auth/passwords.js';
import { reasonText } from '../members/members.schemas.js';

const csrf = { _csrf: z.string().optional() };
const text = (max: number, label: string) =>
  z.string().trim().max(max, `${label} must be ${max} characters or fewer`).default('');
/** A staff member's work email (optional): organisation sign-in links the account by it. Empty means none. */
const WorkEmail = z
  .string()
  .trim()
  .max(254, 'The work email must be 254 characters or fewer')
  .pipe(z.union([z.literal(''), z.email('Enter a work email address like name@nhs.net')]))
  .default('')
  .transform((v) => (v === '' ? null : v));
/** Checkbox groups arrive as a string, an array or nothing. */
const idList = (message: string) =>
  z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.uuid({ error: message })).max(100),
  );

export const SubnetBody = z
  .strictObject({
    name: z
      .string({ error: 'Enter a name' })
      .trim()
      .min(2, 'Enter a name of at least 2 characters')
      .max(120, 'The name must be 120 characters or fewer'),
    slug: z
      .string({ error: 'Enter a short name' })
      .trim()
      .toLowerCase()
      .regex(
        /^[a-z0-9]+(-[a-z0-9]+)*$/,
        'The short name can use lower-case letters, numbers and single dashes, like eating-disorders',
      )
      .max(60, 'The short name must be 60 characters or fewer'),
    description: text(2000, 'The description'),
    crisisContacts: text(2000, 'The crisis contacts'),
    // Accepted from older forms and ignored: the hours' text is derived from hoursStart, hoursEnd and hoursDays.
    serviceHours: z.string().max(200).optional(),
    careTeamIncludesPeerModerators: z.literal('yes').optional(),
    hoursStart: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter the opening time as HH:MM, for example 09:00')
      .default('09:00'),
    hoursEnd: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter the closing time as HH:MM, for example 17:00')
      .default('17:00'),
    chatRetentionDays: z
      .union([
        z.literal(''),
        z.coerce
          .number()
          .int('Enter a whole number of days')
          .min(30, 'Keep messages for at least 30 days')
          .max(36_500, 'Enter at most 36500 days'),
      ])
      .default(''),
    hoursDays: z.preprocess(
      (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
      z.array(z.coerce.number().int().min(1).max(7)).max(7),
    ),
    ...csrf,
  })
  .refine((s) => s.hoursStart < s.hoursEnd, {
    path: ['hoursEnd'],
    message: 'The closing time must be after the opening time',
  });
export type SubnetInput = z.infer<typeof SubnetBody>;

export const CohortBody = z.strictObject({
  name: z
    .string({ error: 'Enter a name for the group' })
    .trim()
    .min(2, 'Enter a name for the group of at least 2 characters')
    .max(120, 'The name must be 120 characters or fewer'),
  ...csrf,
});

export const RoomBody = z.strictObject({
  name: z
    .string({ error: 'Enter a name' })
    .trim()
    .min(2, 'Enter a name of at least 2 characters')
    .max(120, 'The name must be 120 characters or fewer'),
  description: text(2000, 'The description'),
  kind: z.enum(ROOM_KINDS, { error: 'Choose what kind of room this is' }),
  audience: idList('Choose who the room is for').refine(
    (a) => a.length > 0,
    'Choose at least one group the room is for',
  ),
  preModerated: z.literal('yes').optional(),
  cover: z
    .enum(['open', 'pre_moderated', 'read_only'], { error: 'Choose what happens when nobody is on duty' })
    .default('open'),
  ...csrf,
});
export type RoomInput = z.infer<typeof RoomBody>;

export const StaffBody = z.strictObject({
  username: Username,
  displayName: z
    .string({ error: 'Enter the name shown beside the staff badge' })
    .trim()
    .min(2, 'Enter the name shown beside the staff badge')
    .max(80, 'The display name must be 80 characters or fewer'),
  nickname: Nickname,
  role: z.enum(STAFF_ROLES, { error: 'Choose a role' }),
  workEmail: WorkEmail,
  password: NewPassword,
  subnetIds: idList('Choose services from the list'),
  ...csrf,
});
export type StaffInput = z.infer<typeof StaffBody>;

export const StaffWorkEmailBody = z.strictObject({ workEmail: WorkEmail, ...csrf });

export const StaffSubnetsBody = z.strictObject({ subnetIds: idList('Choose services from the list'), ...csrf });

export const AccountsQuery = z.strictObject({
  q: z.string().trim().max(64).optional().default(''),
  /** What was just done, for the confirmation shown above the list. */
  done: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});

const dateOnly = z
  .union([z.literal(''), z.iso.date()])
  .optional()
  .default('');
export const AuditQuery = z.strictObject({
  actor: z.string().trim().max(64).optional().default(''),
  action: z.string().trim().max(60).optional().default(''),
  target: z.string().trim().max(80).optional().default(''),
  from: dateOnly,
  to: dateOnly,
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});

export const SuspendAccountBody = z.strictObject({
  reason: reasonText('Say why you are suspending this account'),
  ...csrf,
});
export const PromoteBody = z.strictObject({
  reason: reasonText('Say why this person becomes a peer moderator'),
  ...csrf,
});
