import { Router } from 'express';
import type { Db } from '../db/knex.js';

/** GET /healthz: 200 {"status":"ok"} while the database answers, 503 when it does not. */
export function healthRoutes({ db }: { db: Db }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await db.raw('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return r;
}
