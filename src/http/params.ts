import { z } from 'zod';
import { HttpError, notFound } from './errors.js';

const Uuid = z.uuid();

/**
 * Reads an id from a URL. A malformed id is answered exactly like an unknown one: 404.
 * @throws HttpError 404
 */
export function idParam(value: unknown): string {
  const parsed = Uuid.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/**
 * Parses a query string with a strict schema; a bad query is a 400.
 * @throws HttpError 400
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success) throw new HttpError(400, 'bad_query');
  return parsed.data;
}

const PositiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/**
 * Reads a numeric id (messages, reports, alerts) from a URL; malformed is 404 like unknown.
 * @throws HttpError 404
 */
export function numericIdParam(value: unknown): number {
  const parsed =
    typeof value === 'string' && /^\d{1,16}$/.test(value) ? PositiveId.safeParse(value) : { success: false as const };
  if (!parsed.success) throw notFound();
  return parsed.data;
}
