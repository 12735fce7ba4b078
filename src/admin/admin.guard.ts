import type { RequestHandler } from 'express';
import { authorize, canUseAdminPages, type AdminAction } from '../policy/index.js';
import { actorOf, requireUser } from '../http/guards.js';

/** Signed in and allowed this admin action; to anyone else the page does not exist (404). */
export function adminOnly(action: AdminAction): RequestHandler[] {
  return [
    requireUser,
    (req, _res, next) => {
      authorize(canUseAdminPages(actorOf(req), action));
      next();
    },
  ];
}

/** A submitted form's raw values, kept (bounded) so a form re-renders with the person's input. */
export function keptValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.map((f) => [f, typeof b[f] === 'string' ? (b[f] as string).slice(0, 2000) : '']));
}

/** A checkbox group's raw values. */
export function keptList(body: unknown, field: string): string[] {
  const v = ((body ?? {}) as Record<string, unknown>)[field];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String).slice(0, 100);
}
