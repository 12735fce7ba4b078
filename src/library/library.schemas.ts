import { z } from 'zod';

const date = (label: string) => z.iso.date({ error: `Enter ${label} as a date, for example 2026-11-21` });

/** A library item as submitted (multipart fields; the PDF comes separately). */
export const LibraryItemFields = z
  .object({
    title: z
      .string({ error: 'Enter a title' })
      .trim()
      .min(3, 'Enter a title of at least 3 characters')
      .max(200, 'The title must be 200 characters or fewer'),
    summary: z.string().trim().max(1000, 'The summary must be 1000 characters or fewer').default(''),
    body: z.string().max(200_000, 'The text must be 200,000 characters or fewer').default(''),
    source: z
      .string({ error: 'Enter the source' })
      .trim()
      .min(2, 'Enter the source, for example NICE, NHS, Beat or the trust')
      .max(120, 'The source must be 120 characters or fewer'),
    reviewedBy: z.uuid({ error: 'Choose the clinician who reviewed it' }),
    reviewedOn: date('the review date'),
    nextReviewOn: date('the next review date'),
    status: z.enum(['draft', 'published'], { error: 'Choose draft or published' }),
    removeAttachment: z.literal('yes').optional(),
  })
  .strict()
  .refine((v) => v.nextReviewOn > v.reviewedOn, {
    path: ['nextReviewOn'],
    message: 'The next review date must be after the review date',
  });
export type LibraryItemInput = z.infer<typeof LibraryItemFields>;

export const SearchQuery = z.strictObject({
  q: z.string().trim().max(200).default(''),
  room: z.union([z.literal(''), z.uuid()]).default(''),
});

/** A library room's page: which page of its items, and the "Saved." notice after an edit. */
export const LibraryPageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  done: z.string().max(20).optional(),
});
