import { Router } from 'express';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { lobbyFor } from './building.service.js';
import { KIND_LABELS } from './labels.js';


/** GET /: the lobby. Each kind of room is served by its own feature (chat, library, television, noticeboard). */
export function buildingRoutes({ db }: { db: Db }): Router {
  const r = Router();

  r.get('/', requireUser, async (req, res) => {
    const subnets = await lobbyFor(db, actorOf(req), new Date());
    res.render('building/lobby', { title: 'Your rooms', subnets, kindLabels: KIND_LABELS });
  });

  return r;
}
