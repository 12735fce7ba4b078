import { Router } from 'express';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { idParam } from '../http/params.js';
import { exportMemberMeasures } from './fhir.service.js';

/** The download's name: a time, never the member's nickname, reference or service. */
export const fhirFilename = (now: Date): string =>
  `sharon-measures-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z.fhir.json`;

/** GET /subnets/:subnetId/members/:userId/measures.fhir.json: the member's measures as a FHIR R4 Bundle. */
export function fhirRoutes({ db, config }: { db: Db; config: Config }): Router {
  const r = Router();
  r.get('/subnets/:subnetId/members/:userId/measures.fhir.json', requireUser, async (req, res) => {
    const now = new Date();
    const target = { subnetId: idParam(req.params.subnetId), userId: idParam(req.params.userId) };
    const { bundle } = await exportMemberMeasures(db, config, auditContext(req), actorOf(req), target, now);
    res.set('Content-Disposition', `attachment; filename="${fhirFilename(now)}"`);
    res.set('Cache-Control', 'no-store');
    res.type('application/fhir+json').send(JSON.stringify(bundle, null, 2));
  });
  return r;
}
