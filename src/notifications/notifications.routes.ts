import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseQuery } from '../http/params.js';
import { EmptyForm, NumericIdParam, validate } from '../http/validate.js';
import { markRead } from './notifications.repo.js';
import { openNotification, unreadCount, visibleNotifications } from './notifications.service.js';

const PAGE = 30;
const ListQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(1000).default(1),
  /** Back here after "Mark all as read". */
  done: z.literal('read').optional(),
});

/** The unread count for the header of every signed-in page. */
export function unreadCountLocals(db: Db): RequestHandler {
  return (req, res, next) => {
    if (!req.user || req.method !== 'GET') return next();
    unreadCount(db, req.user, new Date())
      .then((n) => {
        res.locals.unreadCount = n;
        next();
      })
      .catch(next);
  };
}

/** The notifications page; opening one marks it read; "mark all as read". */
export function notificationsRoutes({ db }: { db: Db }): Router {
  const r = Router();

  r.get('/notifications', requireUser, async (req, res) => {
    const q = parseQuery(ListQuery, req.query);
    const rows = await visibleNotifications(
      db,
      actorOf(req),
      { limit: PAGE + 1, offset: (q.page - 1) * PAGE },
      new Date(),
    );
    res.render('notifications/index', {
      title: 'Notifications',
      notifications: rows.slice(0, PAGE),
      hasNext: rows.length > PAGE,
      page: q.page,
      notice: q.done === 'read' ? 'All your notifications are marked as read.' : undefined,
    });
  });

  const openOne = validate({ params: z.strictObject({ id: NumericIdParam }), body: EmptyForm });
  r.post('/notifications/:id/open', requireUser, openOne, async (req, res) => {
    const { link } = await openNotification(db, actorOf(req), openOne.read(req).params.id, new Date());
    // Gone or no longer theirs: a plain page that names nothing (the notification itself is theirs: 200).
    if (link === null) return res.render('notifications/unavailable', { title: 'This is no longer available' });
    res.redirect(303, link);
  });

  const readAll = validate({ body: EmptyForm });
  r.post('/notifications/read-all', requireUser, readAll, async (req, res) => {
    await markRead(db, actorOf(req).id, 'all');
    res.redirect(303, '/notifications?done=read');
  });

  return r;
}
