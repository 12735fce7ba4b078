import { z } from 'zod';

export const VideoFields = z
  .object({
    title: z
      .string({ error: 'Enter a title' })
      .trim()
      .min(3, 'Enter a title of at least 3 characters')
      .max(200, 'The title must be 200 characters or fewer'),
    description: z.string().trim().max(2000, 'The description must be 2000 characters or fewer').default(''),
    transcript: z.string().max(100_000, 'The transcript must be 100,000 characters or fewer').default(''),
    status: z.enum(['draft', 'published'], { error: 'Choose draft or published' }),
  })
  .strict();
export type VideoInput = z.infer<typeof VideoFields>;
