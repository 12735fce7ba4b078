import type { RequestHandler } from 'express';
import { canUseAdminPages, type Role } from '../policy/index.js';

/** The badge staff carry beside their nickname; members carry none. */
export function badgeFor(role: Role): string | null {
  const badges: Record<Role, string | null> = { admin: 'Admin', clinician: 'Clinician', peer_moderator: 'Peer moderator', patient: null, carer: null, professional: null };
  return badges[role];
}

/** What every page's header needs: who is signed in and the menu the policy allows them. */
export const pageLocals: RequestHandler = (req, res, next) => {
  const user = req.user;
  res.locals.currentUser = user ? { nickname: user.nickname, badge: badgeFor(user.role) } : null;
  res.locals.nav = user
    ? [{ href: '/', text: 'Your rooms' }, ...(canUseAdminPages(user, 'read_audit').allowed ? [{ href: '/admin', text: 'Admin' }] : []), { href: '/help', text: 'Need help now?' }]
    : [];
  res.locals.path = req.path;
  next();
};
