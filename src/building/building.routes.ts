import { Router } from 'express';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { idParam } from '../http/params.js';
import { enterRoom, lobbyFor } from './building.service.js';
import { KIND_LABELS } from './labels.js';


/** GET / (the lobby) and GET /rooms/:roomId. */
export function buildingRoutes({ db }: { db: Db }): Router {
  const r = Router();

  r.get('/', requireUser, async (req, res) => {
    const subnets = await lobbyFor(db, actorOf(req), new Date());
    res.render('building/lobby', { title: 'Your rooms', subnets, kindLabels: KIND_LABELS });
  });

  r.get('/rooms/:roomId', requireUser, async (req, res) => {
    const { room, can } = await enterRoom(db, actorOf(req), idParam(req.params.roomId), new Date());
    res.render('building/room', { title: room.name, room, can, kindLabel: KIND_LABELS[room.kind] });
  });

  return r;
}
