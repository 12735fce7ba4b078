import { z } from 'zod';
import { disclosureReason } from '../members/members.schemas.js';

/**
 * The FHIR download form on the member page: the file carries the member's private reference, so it
 * asks for a reason by the reveal form's rule (kept in the audit log). Its own field name keeps its
 * error and typed text apart from the reveal form's on the same page.
 */
export const FhirExportBody = z.strictObject({
  downloadReason: disclosureReason('Say why you are downloading these measures'),
  _csrf: z.string().optional(),
});
