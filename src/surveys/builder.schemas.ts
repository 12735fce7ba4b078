import { z } from 'zod';

/** How many questions a questionnaire has at most, and options a question. */
export const MAX_QUESTIONS = 30;
export const MAX_OPTIONS = 12;

/** The question types a clinician can choose (validated measures such as PHQ-9 come later, issue 17). */
export const QUESTION_KINDS = ['likert', 'single_choice', 'free_text'] as const;
export const QUESTION_KIND_LABELS = {
  likert: 'Scale of 1 to 5 (strongly disagree to strongly agree)',
  single_choice: 'One of several options',
  free_text: 'Free text',
} as const;

// The builder's own buttons: each re-renders the form with the values kept; only "save" writes.
const ACTION =
  /^(save|preview|add-question|remove-question-\d{1,2}|up-\d{1,2}|down-\d{1,2}|add-option-\d{1,2}|remove-option-\d{1,2}-\d{1,2})$/;
// The builder's fields are flat (the body parser is not extended): q3-text, q3-kind, q3-required, q3-option-2.
const FIELD = /^(title|firstAfterDays|repeatEveryDays|_csrf|action|q\d{1,2}-(text|kind|required|option-\d{1,2}))$/;

/**
 * The questionnaire builder's body: known field names only, each a bounded string (repeated or
 * unknown names are refused as a forged form). The wording rules are checked later, per question,
 * so that the page can name the question and field.
 */
export const BuilderBody = z
  .record(z.string().regex(FIELD), z.string().max(2000))
  .refine((b) => b.action === undefined || ACTION.test(b.action))
  .refine((b) => Object.keys(b).length <= 2 + MAX_QUESTIONS * (3 + MAX_OPTIONS + 1) + 5);
export type BuilderInput = z.infer<typeof BuilderBody>;

/** The schedule fields, with messages for people. */
export const QuestionnaireSchedule = z.object({
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(3, 'Enter a title of at least 3 characters')
    .max(200, 'The title must be 200 characters or fewer'),
  firstAfterDays: z
    .string()
    .trim()
    .min(1, 'Enter a number of days')
    .transform(Number)
    .pipe(
      z
        .number({ error: 'Enter a number of days' })
        .int('Enter a whole number of days')
        .min(0, 'Enter 0 or more days')
        .max(3650, 'Enter at most 3650 days'),
    ),
  repeatEveryDays: z
    .union([
      z
        .string()
        .trim()
        .length(0)
        .transform(() => '' as const),
      z.coerce
        .number({ error: 'Enter a number of days, or leave it empty' })
        .int('Enter a whole number of days')
        .min(7, 'Repeat at most once a week')
        .max(3650, 'Enter at most 3650 days'),
    ])
    .default(''),
});
