import type { Request, RequestHandler } from 'express';
import type { SessionUser } from '../people/person.js';
import { HttpError } from './errors.js';

/**
 * Lets signed-in people through; sends everyone else to the sign-in page (and back afterwards)
 * or answers 401 to non-page requests.
 */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET' && req.accepts('html')) {
    req.session.returnTo = req.originalUrl.startsWith('/') && !req.originalUrl.startsWith('//') ? req.originalUrl : '/';
    return res.redirect(303, '/login');
  }
  next(new HttpError(401, 'unauthenticated'));
};

/**
 * The signed-in person; use after requireUser.
 * @throws HttpError 401 when nobody is signed in.
 */
export function actorOf(req: Request): SessionUser {
  if (!req.user) throw new HttpError(401, 'unauthenticated');
  return req.user;
}
