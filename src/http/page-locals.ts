import type { RequestHandler } from 'express';
import { canUseAdminPages } from '../policy/index.js';
import { badgeFor } from '../people/labels.js';

/** What every page's header needs: who is signed in and the menu the policy allows them. */
export const pageLocals: RequestHandler = (req, res, next) => {
  const user = req.user;
  res.locals.currentUser = user ? { nickname: user.nickname, badge: badgeFor(user.role) } : null;
  res.locals.nav = user
    ? [
        { href: '/', text: 'Your rooms' },
        ...(canUseAdminPages(user, 'read_audit').allowed ? [{ href: '/admin', text: 'Admin' }] : []),
        { href: '/help', text: 'Need help now?' },
      ]
    : [];
  res.locals.path = req.path;
  next();
};
