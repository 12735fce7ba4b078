import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from './errors.js';

/** An action form with no fields of its own: only the CSRF token, nothing else accepted. */
export const EmptyForm = z.strictObject({ _csrf: z.string().max(1000).optional() });

/** A UUID in a URL (rooms, subnets, users, threads...). */
export const UuidParam = z.uuid();

/** A numeric id in a URL (messages, reports, alerts, notifications, watched words). */
export const NumericIdParam = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

interface Schemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

/** What a validator leaves for its handler: each declared part, parsed. */
export type Valid<S extends Schemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

/** A validate() middleware, with `read(req)` giving its handler the parsed, typed parts. */
export interface Validator<S extends Schemas> extends RequestHandler {
  read(req: Request): Valid<S>;
}

/**
 * Declares at the edge what a route accepts: zod schemas for its params, query and body, parsed
 * before the handler runs. A part that does not parse is a 400 (`bad_params`, `bad_query`,
 * `bad_body`) from the one error handler, so the action never happens. Forms that re-render with
 * the person's input kept parse their body in the handler instead (parseForm) and use the result.
 * @throws HttpError 400
 */
export function validate<S extends Schemas>(schemas: S): Validator<S> {
  const parsed = new WeakMap<Request, Valid<S>>();
  const middleware: RequestHandler = (req, _res, next) => {
    const out: Partial<Record<keyof Schemas, unknown>> = {};
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const result = schema.safeParse(req[part] ?? {});
      if (!result.success) throw new HttpError(400, `bad_${part}`);
      out[part] = result.data;
    }
    parsed.set(req, asValid<S>(out));
    next();
  };
  return Object.assign(middleware, {
    read(req: Request): Valid<S> {
      const v = parsed.get(req);
      if (!v) throw new Error('validate(): read() called on a request the middleware did not parse');
      return v;
    },
  });
}

/** The one cast: `out` holds exactly the parts of S, each parsed by its own schema above. */
function asValid<S extends Schemas>(out: Partial<Record<keyof Schemas, unknown>>): Valid<S> {
  return out as Valid<S>;
}
