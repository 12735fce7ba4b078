import { Router, type Request, type RequestHandler } from 'express';
import { HttpError } from './errors.js';

/**
 * Which routes may take a multipart body. Uploads stream to disk, so the CSRF middleware cannot
 * read their token and skips multipart bodies; each upload route checks the token itself as the
 * body's first field, before any file is accepted (src/files/uploads.ts). Any other route given a
 * multipart body would then run with no token checked (an empty-bodied action such as "go on
 * duty" would succeed), so this refuses a multipart body everywhere except the listed upload
 * routes, before the CSRF middleware. Each feature lists its own upload paths.
 */
export function multipartOnlyTo(uploadPaths: readonly string[]): RequestHandler {
  const uploads = Router();
  const isUpload = new WeakSet<Request>();
  uploads.post([...uploadPaths], (req, _res, next) => {
    isUpload.add(req);
    next();
  });
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    uploads(req, res, (err?: unknown) => {
      if (err) return next(err);
      next(isUpload.has(req) ? undefined : new HttpError(403, 'csrf'));
    });
  };
}
