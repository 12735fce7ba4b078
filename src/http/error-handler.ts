import type { ErrorRequestHandler, Request } from 'express';
import type { Db } from '../db/knex.js';
import type { Logger } from '../log.js';
import { PolicyDenied } from '../policy/index.js';
import { recordAudit, auditContext } from '../audit/audit.service.js';
import { HttpError } from './errors.js';
import { routePattern } from './request-log.js';
import { isDatabaseUnavailable } from '../db/connection.js';

const TITLES: Record<number, string> = {
  400: 'There is a problem with the request',
  401: 'Sign in to continue',
  403: 'You cannot do that here',
  404: 'Page not found',
  413: 'What you sent is too large',
  429: 'Too many requests',
  500: 'Sorry, there is a problem with the service',
  503: 'Sorry, the service is unavailable',
};

interface Classified {
  status: number;
  code: string;
}

/** Maps anything thrown to a status and a stable code. */
function classify(err: unknown): Classified {
  if (err instanceof PolicyDenied)
    return err.hide ? { status: 404, code: 'not_found' } : { status: 403, code: 'forbidden' };
  if (err instanceof HttpError) return { status: err.status, code: err.code };
  const e = (err ?? {}) as { type?: string; code?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') return { status: 413, code: 'payload_too_large' };
  if (e.type === 'entity.parse.failed' || e.type === 'parameters.too.many') return { status: 400, code: 'bad_request' };
  if (e.code === 'EBADCSRFTOKEN' || e.message === 'invalid csrf token') return { status: 403, code: 'csrf' };
  if (isDatabaseUnavailable(err)) return { status: 503, code: 'unavailable' };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return { status: e.status, code: 'bad_request' };
  return { status: 500, code: 'internal' };
}

/**
 * The one error handler: renders errors/<status> or `{ error: code }`, never a stack trace or
 * SQL. Policy denials are written to the audit log with their reason (never shown on the page).
 */
export function errorHandler(db: Db, logger: Logger): ErrorRequestHandler {
  return async (err, req, res, _next) => {
    const { status, code } = classify(err);
    const requestId = String(res.locals.requestId ?? '');
    if (err instanceof PolicyDenied) await auditDenial(db, req, err).catch(() => undefined);
    if (status === 503)
      logger.warn('request refused: database unavailable', {
        requestId,
        route: routePattern(req),
        reason: reasonOf(err),
      });
    else if (status >= 500)
      logger.error('request failed', {
        requestId,
        status,
        code,
        route: routePattern(req),
        error: err instanceof Error ? err.name : 'unknown',
        detail: err instanceof Error ? err.message.slice(0, 200) : undefined,
      });
    else logger.info('request refused', { requestId, status, code, route: routePattern(req), actor: req.user?.id });
    if (res.headersSent) return;
    if (status === 503) res.set('Retry-After', '30');
    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') return res.json({ error: code });
    const view =
      status === 401 || status === 403 || status === 404 || status === 413 || status === 429 || status === 503
        ? status
        : status === 400
          ? 400
          : 500;
    res.render(
      `errors/${view}`,
      {
        currentUser: null,
        nav: [],
        path: req.path,
        csrfToken: () => '',
        ...res.locals,
        title: TITLES[status] ?? TITLES[500],
        requestId,
      },
      (renderErr, html) => {
        res
          .type('html')
          .send(
            renderErr
              ? `<!doctype html><title>${TITLES[status] ?? 'Error'}</title><p>${TITLES[status] ?? 'Error'}</p>`
              : html,
          );
      },
    );
  };
}

/** A database error's code (a SQLSTATE or a socket error) for the log, never its text. */
function reasonOf(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; name?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'unknown';
}

async function auditDenial(db: Db, req: Request, err: PolicyDenied): Promise<void> {
  await recordAudit(db, auditContext(req), {
    action: 'access',
    outcome: 'denied',
    reason: err.reason,
    targetType: 'path',
    targetId: req.path.slice(0, 80),
    details: { method: req.method },
  });
}
