import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Request, RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log.js';
import { observeRequest } from '../metrics.js';

/** An incoming X-Request-Id is kept when it looks like an id (a proxy's or load balancer's), else replaced. */
const WELL_FORMED_ID = /^[\w.:-]{8,128}$/;

/** The request id: the proxy's X-Request-Id when well formed, else a fresh UUID; echoed as X-Request-Id. */
export function requestIdFor(req: http.IncomingMessage, res: http.ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && WELL_FORMED_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/**
 * The route pattern that answered ("/rooms/:roomId"), with the router's mount ("/assets" for a
 * static file), never the URL itself: no ids, keys or query strings reach a log line or a metric
 * label. "(unmatched)" for a request no route answered (a 404).
 */
export function routePattern(req: http.IncomingMessage): string {
  const r = req as Partial<Request>;
  const routePath: unknown = r.route?.path;
  if (routePath === undefined) return r.baseUrl || '(unmatched)';
  const pattern = Array.isArray(routePath) ? routePath.map(String).join('|') : String(routePath);
  return `${r.baseUrl ?? ''}${pattern}` || '/';
}

/**
 * One JSON line per request (pino-http): requestId, method, route pattern, status and duration in
 * ms; never the URL, headers, cookies or body. The same pattern labels the HTTP duration histogram.
 * /healthz is not logged (a load balancer asks every few seconds) but is measured.
 */
export function requestLog(logger: Logger): RequestHandler[] {
  const line = (req: http.IncomingMessage, res: http.ServerResponse, ms: number) => ({
    method: req.method,
    route: routePattern(req),
    status: res.statusCode,
    ms,
  });
  const http = pinoHttp({
    logger: logger.pino,
    genReqId: requestIdFor,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    autoLogging: { ignore: (req) => req.url === '/healthz' },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    customErrorObject: (req, res, err: Error, val: { responseTime: number }) => ({
      ...line(req, res, val.responseTime),
      error: err.name,
    }),
  });
  const measure: RequestHandler = (req, res, next) => {
    res.locals.requestId = req.id;
    const started = process.hrtime.bigint();
    res.on('finish', () =>
      observeRequest(req.method, routePattern(req), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9),
    );
    next();
  };
  return [http as unknown as RequestHandler, measure];
}
