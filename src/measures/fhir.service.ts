import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { SessionUser } from '../people/person.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { memberFor, privateReferenceOf } from '../members/members.service.js';
import type { InstrumentDefinition } from './instrument.js';
import { memberHistory } from './history.repo.js';
import { findInstrument } from './catalogue.repo.js';
import { buildMeasuresBundle, type MeasuresBundleCounts } from './fhir-bundle.js';
import type { Bundle } from '@medplum/fhirtypes';

export interface MeasuresExport {
  bundle: Bundle;
  counts: MeasuresBundleCounts;
}

/**
 * A member's outcome measures in one subnet as a FHIR R4 Bundle, for a clinician to put in the
 * trust's record. The Patient carries the membership's private reference, so the check is the
 * reveal one (clinician of the subnet, a member account with a current membership there), and the
 * clinician's reason is required as for a reveal; the export is audited with the reason, what it
 * held by count (never the scores) and whether the reference went with it.
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone else: members, other subnets' staff, admins.
 */
export async function exportMemberMeasures(
  db: Db,
  config: Config,
  ctx: AuditContext,
  actor: SessionUser,
  target: { subnetId: string; userId: string },
  reason: string,
  now: Date,
): Promise<MeasuresExport> {
  const m = await memberFor(db, actor, target.subnetId, target.userId, 'reveal_reference', now);
  const [responses, privateReference] = await Promise.all([
    memberHistory(db, m.member.id, m.subnet.id),
    privateReferenceOf(db, m),
  ]);
  const instruments = new Map<string, InstrumentDefinition>();
  for (const key of new Set(responses.map((r) => r.instrumentKey))) {
    const d = await findInstrument(db, key);
    if (d) instruments.set(key, d);
  }
  const { bundle, counts } = buildMeasuresBundle({
    member: { id: m.member.id, privateReference },
    identifierSystem: config.fhir.patientIdentifierSystem,
    responses,
    instruments,
    now,
  });
  await recordAudit(db, ctx, {
    action: 'measures.fhir_export',
    targetType: 'user',
    targetId: m.member.id,
    details: {
      subnet_id: m.subnet.id,
      reason: reason.slice(0, 500),
      resources: counts.resources,
      questionnaire_responses: counts.questionnaireResponses,
      observations: counts.observations,
      totals_only: counts.totalsOnly,
      private_reference: privateReference !== null,
    },
  });
  return { bundle, counts };
}
