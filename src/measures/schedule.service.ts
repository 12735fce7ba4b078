import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { subnetFor, type SubnetSummary } from '../building/building.service.js';
import { formErrors, type FieldError, type FormErrors } from '../http/forms.js';
import type { InstrumentDefinition } from './instrument.js';
import { availableInstruments } from './instruments.service.js';
import { findSchedules, upsertSchedule, type MeasureSchedule } from './measures.repo.js';

/**
 * A subnet for its measure schedule page: clinicians of S and admins (policy: manage_measures).
 * @throws HttpError 404 / PolicyDenied (hidden) for anyone else.
 */
export async function measureScheduleSubnet(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  now: Date,
): Promise<SubnetSummary> {
  return subnetFor(db, actor, subnetId, 'manage_measures', now);
}

/** One instrument a subnet may use, with its schedule there (null: never set). */
export interface ScheduleRow {
  instrument: InstrumentDefinition;
  schedule: MeasureSchedule | null;
}

/** The instruments a subnet may use (built-in and enabled), each with its schedule. */
export async function scheduleRows(db: Db, subnetId: string): Promise<ScheduleRow[]> {
  const [instruments, schedules] = await Promise.all([availableInstruments(db, subnetId), findSchedules(db, subnetId)]);
  return instruments.map((instrument) => ({
    instrument,
    schedule: schedules.find((s) => s.instrumentKey === instrument.key) ?? null,
  }));
}

/** The form's values for the rows (what the page shows, and shows again on an error). */
export function scheduleValues(rows: readonly ScheduleRow[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const { instrument: d, schedule: s } of rows) {
    values[`use-${d.key}`] = s?.active ? 'yes' : '';
    values[`first-${d.key}`] = String(s?.firstAfterDays ?? 0);
    values[`every-${d.key}`] = s ? (s.repeatEveryDays === null ? '' : String(s.repeatEveryDays)) : '28';
  }
  return values;
}

const days = (raw: string | undefined) => (raw ?? '').trim();

/**
 * Reads the schedule form: for each instrument, whether the subnet uses it, the days after joining
 * of the first offer (0 to 365; 0 is at joining) and the days between offers (7 to 365, or empty
 * for once). Numbers are checked only for the measures in use; others keep what they had.
 */
export function readSchedule(
  rows: readonly ScheduleRow[],
  body: Record<string, string>,
): { ok: true; schedules: MeasureSchedule[] } | { ok: false; errors: FormErrors } {
  const errors: FieldError[] = [];
  const schedules: MeasureSchedule[] = [];
  for (const { instrument: d, schedule: before } of rows) {
    const active = body[`use-${d.key}`] === 'yes';
    const first = days(body[`first-${d.key}`]);
    const every = days(body[`every-${d.key}`]);
    const firstOk = /^\d{1,3}$/.test(first) && Number(first) <= 365;
    const everyOk = every === '' || (/^\d{1,3}$/.test(every) && Number(every) >= 7 && Number(every) <= 365);
    if (active && !firstOk)
      errors.push({
        field: `first-${d.key}`,
        message: `${d.name}: enter the days after joining as a number from 0 to 365`,
      });
    if (active && !everyOk)
      errors.push({
        field: `every-${d.key}`,
        message: `${d.name}: enter how often in days, from 7 to 365, or leave it empty to ask once`,
      });
    schedules.push({
      instrumentKey: d.key,
      active,
      firstAfterDays: firstOk ? Number(first) : (before?.firstAfterDays ?? 0),
      repeatEveryDays: everyOk ? (every === '' ? null : Number(every)) : (before?.repeatEveryDays ?? null),
    });
  }
  return errors.length ? { ok: false, errors: formErrors(errors) } : { ok: true, schedules };
}

const same = (a: MeasureSchedule | null, b: MeasureSchedule) =>
  a !== null &&
  a.active === b.active &&
  a.firstAfterDays === b.firstAfterDays &&
  a.repeatEveryDays === b.repeatEveryDays;

/**
 * Saves a subnet's schedule (the caller loaded the subnet with measureScheduleSubnet, which
 * authorised): every changed measure with its audit row, in one transaction. Returns how many changed.
 */
export async function saveSchedule(
  db: Db,
  ctx: AuditContext,
  subnet: SubnetSummary,
  rows: readonly ScheduleRow[],
  schedules: readonly MeasureSchedule[],
): Promise<number> {
  return db.transaction(async (trx) => {
    let changed = 0;
    for (const s of schedules) {
      const before = rows.find((r) => r.instrument.key === s.instrumentKey)?.schedule ?? null;
      if (same(before, s) || (before === null && !s.active)) continue;
      await upsertSchedule(trx, subnet.id, s, ctx.actorId);
      await recordAudit(trx, ctx, {
        action: 'measure_schedule.save',
        targetType: 'instrument',
        targetId: s.instrumentKey,
        details: {
          subnet_id: subnet.id,
          active: s.active,
          first_after_days: s.firstAfterDays,
          repeat_every_days: s.repeatEveryDays,
        },
      });
      changed += 1;
    }
    return changed;
  });
}
