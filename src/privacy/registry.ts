import type { Db } from '../db/knex.js';
import { AUDIT_PERSONAL_DATA } from '../audit/personal-data.js';
import { AUTH_PERSONAL_DATA, USERS_PERSONAL_DATA } from '../auth/personal-data.js';
import { BUILDING_PERSONAL_DATA } from '../building/personal-data.js';
import { CARE_TEAM_PERSONAL_DATA } from '../care-team/personal-data.js';
import { CHAT_PERSONAL_DATA } from '../chat/personal-data.js';
import { FILES_PERSONAL_DATA } from '../files/personal-data.js';
import { LIBRARY_PERSONAL_DATA } from '../library/personal-data.js';
import { MEASURES_PERSONAL_DATA } from '../measures/personal-data.js';
import { MEMBERS_PERSONAL_DATA } from '../members/personal-data.js';
import { MODERATION_PERSONAL_DATA } from '../moderation/personal-data.js';
import { NOTICEBOARD_PERSONAL_DATA } from '../noticeboard/personal-data.js';
import { NOTIFICATIONS_PERSONAL_DATA } from '../notifications/personal-data.js';
import { SAFETY_PERSONAL_DATA } from '../safety/personal-data.js';
import { SURVEYS_PERSONAL_DATA } from '../surveys/personal-data.js';
import { TELEVISION_PERSONAL_DATA } from '../television/personal-data.js';
import type { ErasureMode, PersonalDataTable } from './personal-data.js';

export type { ColumnRule, ErasureMode, PersonalDataTable } from './personal-data.js';

/**
 * The one list of personal data SHaRON holds: every table with a column that references a person,
 * and every table that finds a person another way (sessions, sign-in throttling, survey answers).
 * "Download my data" and erasure are both built from it, and test/privacy/registry.test.ts fails
 * when a column referencing users.id has no rule here. Each feature declares its own tables in its
 * `personal-data.ts`. Order is the download's order and erasure's; the users row comes last.
 */
export const PERSONAL_DATA: readonly PersonalDataTable[] = [
  ...MEMBERS_PERSONAL_DATA,
  ...CHAT_PERSONAL_DATA,
  ...BUILDING_PERSONAL_DATA,
  ...NOTICEBOARD_PERSONAL_DATA,
  ...CARE_TEAM_PERSONAL_DATA,
  ...SURVEYS_PERSONAL_DATA,
  ...MEASURES_PERSONAL_DATA,
  ...MODERATION_PERSONAL_DATA,
  ...NOTIFICATIONS_PERSONAL_DATA,
  ...SAFETY_PERSONAL_DATA,
  ...LIBRARY_PERSONAL_DATA,
  ...TELEVISION_PERSONAL_DATA,
  ...FILES_PERSONAL_DATA,
  ...AUDIT_PERSONAL_DATA,
  ...AUTH_PERSONAL_DATA,
  USERS_PERSONAL_DATA,
];

/**
 * Everything SHaRON holds that a person wrote or chose, for "download my data": one section per
 * registry entry that exports (profile first). What is not exported says why in the registry.
 */
export async function exportPersonalData(db: Db, userId: string): Promise<Record<string, unknown>> {
  const exporting = [USERS_PERSONAL_DATA, ...PERSONAL_DATA.filter((t) => t !== USERS_PERSONAL_DATA)].flatMap((t) =>
    t.export ? [t.export] : [],
  );
  const sections = await Promise.all(exporting.map(async (e) => [e.key, await e.read(db, userId)] as const));
  return { exportedAt: new Date().toISOString(), ...Object.fromEntries(sections) };
}

/**
 * Erases a person's personal data inside the caller's transaction (which also writes the audit
 * row): each registry entry scrubs or deletes its rows, in the registry's order.
 */
export async function erasePersonalData(trx: Db, userId: string, mode: ErasureMode): Promise<void> {
  for (const t of PERSONAL_DATA) if (t.erase) await t.erase(trx, userId, mode);
}
