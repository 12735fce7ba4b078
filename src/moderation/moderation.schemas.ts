import { z } from 'zod';

const csrf = { _csrf: z.string().optional() };
export const RemoveBody = z.strictObject({
  reason: z.string().trim().max(500, 'The reason must be 500 characters or fewer').default(''),
  ...csrf,
});
export const MuteBody = z.strictObject({
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(60 * 24 * 30),
  ...csrf,
});

/** Where a queue action lands (`done`: its confirmation) and the room filter (one room of the subnet, or all). */
export const QueueQuery = z.strictObject({
  done: z.enum(['dismissed', 'removed', 'muted', 'approved', 'declined', 'suspended', 'acknowledged']).optional(),
  room: z.union([z.uuid(), z.literal('').transform(() => undefined)]).optional(),
});
export type QueueQuery = z.infer<typeof QueueQuery>;

/** How long a mute can last, as offered on the page. */
export const MUTE_CHOICES = [
  [15, '15 minutes'],
  [60, '1 hour'],
  [24 * 60, '1 day'],
  [7 * 24 * 60, '1 week'],
] as const;
