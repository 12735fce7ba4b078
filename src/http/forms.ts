import type { z } from 'zod';

export interface FieldError {
  field: string;
  message: string;
}

/** Errors for a form: an ordered list for the error summary and a map for the fields. */
export interface FormErrors {
  list: FieldError[];
  byField: Record<string, string>;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/** Builds FormErrors from explicit field messages (for checks that need the database). */
export function formErrors(list: FieldError[]): FormErrors {
  const byField: Record<string, string> = {};
  for (const e of list) byField[e.field] ??= e.message;
  return { list: list.filter((e) => byField[e.field] === e.message), byField };
}

/**
 * Parses a submitted form with a zod schema. Each field's first message is kept; messages are
 * written for people ("Enter a nickname"), so schemas carry their own wording.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const list = parsed.error.issues.map((i) => ({
    field: String(i.path[0] ?? 'form'),
    message: i.message,
  }));
  return { ok: false, errors: formErrors(list) };
}

/** No errors: what a form renders with on first view. */
export const NO_ERRORS: FormErrors = Object.freeze({ list: [], byField: {} }) as FormErrors;
