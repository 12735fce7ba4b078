import { Router } from 'express';
import type pg from 'pg';

/**
 * GET /healthz: 200 {"status":"ok"} while the database answers, 503 {"status":"unavailable"}
 * within about a second when it does not (refused, restarting, read-only or stalled). It runs on
 * its own one-connection pool with short limits (HEALTH_TIMEOUTS), so it never waits behind page
 * work, and a load balancer takes the process out of rotation quickly.
 */
export function healthRoutes({ pool }: { pool: pg.Pool }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      // A read-only database cannot take messages: it is not healthy for SHaRON.
      const { rows } = await pool.query<{ ro: string }>("SELECT current_setting('transaction_read_only') AS ro");
      if (rows[0]?.ro === 'on') throw new Error('read-only');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return r;
}
