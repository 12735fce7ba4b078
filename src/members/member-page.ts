import type { Request, Response } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf } from '../http/guards.js';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';
import { memberMeasures } from '../measures/progress.service.js';
import { CARE_EVENT_LABELS, listCareEvents } from './care-events.js';
import { pathwayDestinations, type MemberContext } from './members.service.js';

/** What a render of the member page changes from its first view. */
export interface MemberPageExtra {
  errors?: FormErrors;
  /** The reason typed into the reveal form, kept after an error. */
  reason?: string;
  /** The reason typed into the FHIR download form (the Outcome measures section), kept after an error. */
  downloadReason?: string;
  reference?: string | null;
  revealed?: boolean;
  notice?: string;
}

/**
 * Renders a clinician's member page for a member already loaded (and authorised) by `memberFor`;
 * `extra` overrides the defaults (errors, the reasons typed, a revealed reference, a notice). Its
 * forms' errors re-render it here, whichever feature's route took the form.
 */
export async function renderMemberPage(
  db: Db,
  req: Request,
  res: Response,
  status: number,
  m: MemberContext,
  extra: MemberPageExtra = {},
): Promise<void> {
  res.status(status).render('members/member', {
    title: m.member.nickname,
    ...m,
    errors: NO_ERRORS,
    reason: '',
    downloadReason: '',
    revealed: false,
    reference: null,
    destinations: await pathwayDestinations(db, actorOf(req), new Date()),
    careEvents: await listCareEvents(db, m.member.id, m.subnet.id),
    careEventLabels: CARE_EVENT_LABELS,
    today: new Date().toISOString().slice(0, 10),
    // The "Outcome measures" section; each view of it is audited.
    measures: await memberMeasures(
      db,
      auditContext(req),
      actorOf(req),
      { subnetId: m.subnet.id, member: m.member },
      new Date(),
      req.app.locals.fmt,
    ),
    ...extra,
  });
}
