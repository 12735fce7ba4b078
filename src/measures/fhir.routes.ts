import { Router } from 'express';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseForm } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { memberFor } from '../members/members.service.js';
import { renderMemberPage } from '../members/member-page.js';
import { FhirExportBody } from './fhir.schemas.js';
import { exportMemberMeasures } from './fhir.service.js';

/** The download's name: a time, never the member's nickname, reference or service. */
export const fhirFilename = (now: Date): string =>
  `sharon-measures-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z.fhir.json`;

/**
 * POST /subnets/:subnetId/members/:userId/measures.fhir.json: the member's measures as a FHIR R4
 * Bundle, downloaded with a reason (the file carries their private reference). No GET: a link must
 * not disclose the reference. A missing or short reason re-renders the member page (400) with the
 * text kept; anyone who may not reveal the reference gets 404 either way.
 */
export function fhirRoutes({ db, config }: { db: Db; config: Config }): Router {
  const r = Router();
  r.post('/subnets/:subnetId/members/:userId/measures.fhir.json', requireUser, async (req, res) => {
    const now = new Date();
    const target = { subnetId: idParam(req.params.subnetId), userId: idParam(req.params.userId) };
    const form = parseForm(FhirExportBody, req.body);
    if (!form.ok) {
      const m = await memberFor(db, actorOf(req), target.subnetId, target.userId, 'reveal_reference', now);
      const downloadReason = String(req.body?.downloadReason ?? '').slice(0, 500);
      return renderMemberPage(db, req, res, 400, m, { errors: form.errors, downloadReason });
    }
    const reason = form.data.downloadReason;
    const { bundle } = await exportMemberMeasures(db, config, auditContext(req), actorOf(req), target, reason, now);
    res.set('Content-Disposition', `attachment; filename="${fhirFilename(now)}"`);
    res.set('Cache-Control', 'no-store');
    res.type('application/fhir+json').send(JSON.stringify(bundle, null, 2));
  });
  return r;
}
