import type { Db } from '../db/knex.js';
import { exportPersonalData } from '../privacy/registry.js';

/**
 * Everything SHaRON holds that a person wrote or chose, for "download my data": profile,
 * memberships, living-room messages, noticeboard threads and replies, care-team messages, survey
 * answers, reports they made and mutes applied to them. The sections come from the personal-data
 * registry (src/privacy/registry.ts), which also says why anything else is not included (care
 * events and private references are clinical records of the service, left to its subject-access
 * process; the audit log is the service's security record).
 */
export function exportMemberData(db: Db, userId: string): Promise<Record<string, unknown>> {
  return exportPersonalData(db, userId);
}
