import { Router } from 'express';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { memberLobby } from './building.service.js';
import { dueSurveys } from '../surveys/surveys.service.js';
import { dueMeasures } from '../measures/measures.service.js';
import { KIND_LABELS } from './labels.js';
import type { Realtime } from '../realtime/realtime.js';
import { canSeeOwnProgress, canSeeStaffHome } from '../policy/index.js';
import { renderStaffHome } from '../workspace/workspace.routes.js';

/**
 * GET /: the lobby. Each kind of room is served by its own feature (chat, library, television, noticeboard).
 * Staff and admins have their own home instead (src/workspace, issue 15).
 */
export function buildingRoutes({ db, realtime, config }: { db: Db; realtime: Realtime; config: Config }): Router {
  const r = Router();

  r.get('/', requireUser, async (req, res) => {
    const now = new Date();
    if (canSeeStaffHome(actorOf(req), now).allowed) return renderStaffHome({ db, realtime, config }, req, res);
    const [subnets, surveys, measures] = await Promise.all([
      memberLobby(db, realtime, actorOf(req), now),
      dueSurveys(db, actorOf(req), now),
      dueMeasures(db, actorOf(req), now),
    ]);
    const notice =
      req.query.survey === 'thanks'
        ? 'Thank you for your answers.'
        : req.query.survey === 'later'
          ? 'We will ask you again in a few days.'
          : req.query.survey === 'decline' || req.query.measure === 'decline'
            ? 'No problem. We will not ask you this time.'
            : req.query.measure === 'later'
              ? 'We will ask you again in 3 days.'
              : req.query.welcome === '1'
                ? 'Welcome to SHaRON. Your account is ready: these are the rooms your key opens.'
                : undefined;
    res.render('building/lobby', {
      title: 'Your rooms',
      subnets,
      surveys,
      measures,
      kindLabels: KIND_LABELS,
      notice,
      can: { seeProgress: canSeeOwnProgress(actorOf(req)).allowed },
    });
  });

  return r;
}
