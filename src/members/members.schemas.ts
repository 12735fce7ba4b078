import { z } from 'zod';

export const MoveCohortBody = z.strictObject({
  cohortId: z.uuid({ error: 'Choose a group' }),
  _csrf: z.string().optional(),
});

/**
 * Why someone needs a member's private reference (shown on the page, or in a file that carries it):
 * 10 to 500 characters, kept in the audit log. `missing` asks for it ("Say why you need to see this").
 */
export const disclosureReason = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(10, `${missing}, in at least 10 characters`)
    .max(500, 'The reason must be 500 characters or fewer');

export const RevealBody = z.strictObject({
  reason: disclosureReason('Say why you need to see this'),
  _csrf: z.string().optional(),
});

/** A reason kept in the audit log for a serious action (suspension, promotion). */
export const reasonText = (missing: string) => {
  const message = `${missing}, in at least 10 characters`;
  return z.string({ error: message }).trim().min(10, message).max(500, 'The reason must be 500 characters or fewer');
};

export const SuspendBody = z.strictObject({
  reason: reasonText('Say why you are suspending this account'),
  _csrf: z.string().optional(),
});

export const PathwayBody = z.strictObject({
  destination: z
    .string({ error: 'Choose where the member moves to' })
    .regex(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/i, 'Choose where the member moves to'),
  leaveOn: z.union([z.literal(''), z.iso.date({ error: 'Enter the date as YYYY-MM-DD' })]).default(''),
  _csrf: z.string().optional(),
});

export const CareEventBody = z.strictObject({
  kind: z.enum(['admission', 'discharge', 'relapse', 'service_discharge'], { error: 'Choose what happened' }),
  occurredOn: z.iso.date({ error: 'Enter the date as YYYY-MM-DD' }),
  _csrf: z.string().optional(),
});
