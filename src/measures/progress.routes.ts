import { Router } from 'express';
import type { Db } from '../db/knex.js';
import type { Formatters } from '../http/format.js';
import { actorOf, requireUser } from '../http/guards.js';
import { ownProgress } from './progress.service.js';

/** GET /measures/progress: the signed-in member's own scores over time, each measure a chart and a table. */
export function progressRoutes({ db }: { db: Db }): Router {
  const r = Router();
  r.get('/measures/progress', requireUser, async (req, res) => {
    const fmt: Formatters = req.app.locals.fmt;
    const measures = await ownProgress(db, actorOf(req), fmt);
    res.render('measures/progress', { title: 'Your progress', measures });
  });
  return r;
}
