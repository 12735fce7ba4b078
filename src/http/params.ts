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
