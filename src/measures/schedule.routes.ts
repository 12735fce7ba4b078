import type { Request, Response, Router } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { HttpError } from '../http/errors.js';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import type { SubnetSummary } from '../building/building.service.js';
import { ScheduleBody } from './measures.schemas.js';
import {
  measureScheduleSubnet,
  readSchedule,
  saveSchedule,
  scheduleRows,
  scheduleValues,
  type ScheduleRow,
} from './schedule.service.js';

/** A subnet's measure schedule: GET shows it, POST saves it (clinicians of S and admins). */
export function scheduleRoutes(r: Router, db: Db): void {
  r.get('/subnets/:subnetId/measures', requireUser, async (req, res) => {
    const subnet = await measureScheduleSubnet(db, actorOf(req), idParam(req.params.subnetId), new Date());
    const rows = await scheduleRows(db, subnet.id);
    render(res, 200, subnet, rows, scheduleValues(rows), NO_ERRORS, req.query.done === 'saved');
  });
  r.post('/subnets/:subnetId/measures', requireUser, async (req: Request, res: Response) => {
    const subnet = await measureScheduleSubnet(db, actorOf(req), idParam(req.params.subnetId), new Date());
    const body = ScheduleBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'bad_form');
    const rows = await scheduleRows(db, subnet.id);
    const read = readSchedule(rows, body.data);
    if (!read.ok) return render(res, 400, subnet, rows, body.data, read.errors, false);
    await saveSchedule(db, auditContext(req), subnet, rows, read.schedules);
    res.redirect(303, `/subnets/${subnet.id}/measures?done=saved`);
  });
}

function render(
  res: Response,
  status: number,
  subnet: SubnetSummary,
  rows: ScheduleRow[],
  values: Record<string, string>,
  errors: FormErrors,
  saved: boolean,
) {
  res.status(status).render('measures/schedule', {
    title: `Outcome measures for ${subnet.name}`,
    subnet,
    rows,
    values,
    errors,
    notice: saved
      ? 'Schedule saved. Members are offered each measure in use on this schedule, counted from the day they joined.'
      : undefined,
  });
}
