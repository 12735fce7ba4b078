import { z } from 'zod';

const csrf = { _csrf: z.string().optional() };

export const ThreadBody = z.strictObject({
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(3, 'Enter a title of at least 3 characters')
    .max(200, 'The title must be 200 characters or fewer'),
  body: z
    .string({ error: 'Write your message' })
    .trim()
    .min(1, 'Write your message')
    .max(10_000, 'Your message must be 10,000 characters or fewer'),
  ...csrf,
});

export const ReplyBody = z.strictObject({
  body: z
    .string({ error: 'Write your reply' })
    .trim()
    .min(1, 'Write your reply')
    .max(10_000, 'Your reply must be 10,000 characters or fewer'),
  ...csrf,
});

export const MoveBody = z.strictObject({ roomId: z.uuid({ error: 'Choose a noticeboard' }), ...csrf });
export const ReasonBody = z.strictObject({
  reason: z.string().trim().max(500, 'The reason must be 500 characters or fewer').default(''),
  ...csrf,
});
export const ReportBody = z.strictObject({
  reason: z
    .string({ error: 'Say what is wrong with this post' })
    .trim()
    .min(3, 'Say what is wrong with this post')
    .max(500, 'The reason must be 500 characters or fewer'),
  ...csrf,
});
export const PageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  done: z.string().max(20).optional(),
});
