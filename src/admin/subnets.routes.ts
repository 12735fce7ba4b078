import { Router, type RequestHandler, type Response } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import { findRoomsOfSubnets, listAllSubnets, listCohorts, type SubnetSummary } from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { adminOnly, keptList, keptValues } from './admin.guard.js';
import { CohortBody, SubnetBody } from './admin.schemas.js';
import { addCohort, renameCohort, saveSubnet } from './admin.service.js';
import { findCohort } from './admin.repo.js';
import {
  createRoom,
  loadSubnet,
  newRoomForm,
  roomPage,
  saveRoom,
  type AdminSubnetDeps,
} from './subnet-rooms.handlers.js';

const SUBNET_FIELDS = [
  'name',
  'slug',
  'description',
  'crisisContacts',
  'careTeamIncludesPeerModerators',
  'hoursStart',
  'hoursEnd',
  'chatRetentionDays',
] as const;
const toValues = (s: SubnetSummary): Record<string, string> => ({
  name: s.name,
  slug: s.slug,
  description: s.description,
  crisisContacts: s.crisisContacts,
  careTeamIncludesPeerModerators: s.careTeamIncludesPeerModerators ? 'yes' : '',
  hoursStart: s.hours.start,
  hoursEnd: s.hours.end,
  hoursDays: s.hours.days.join(','),
  chatRetentionDays: s.chatRetentionDays === null ? '' : String(s.chatRetentionDays),
});

/** Admin pages for subnets, their cohorts and rooms. */
export function adminSubnetRoutes(deps: AdminSubnetDeps): Router {
  const r = Router();
  const guard = adminOnly('manage_subnets');
  r.get('/admin', ...adminOnly('read_audit'), (_req, res) => res.render('admin/index', { title: 'Administration' }));
  r.get('/admin/subnets', ...guard, listSubnets(deps));
  r.get('/admin/subnets/new', ...guard, newSubnetForm(deps));
  r.post('/admin/subnets', ...guard, createSubnet(deps));
  r.get('/admin/subnets/:subnetId', ...guard, subnetPage(deps));
  r.post('/admin/subnets/:subnetId', ...guard, updateSubnet(deps));
  r.post('/admin/subnets/:subnetId/cohorts', ...guard, createCohort(deps));
  r.get('/admin/cohorts/:cohortId', ...guard, cohortPage(deps));
  r.post('/admin/cohorts/:cohortId', ...guard, renameCohortPage(deps));
  r.get('/admin/subnets/:subnetId/rooms/new', ...guard, newRoomForm(deps));
  r.post('/admin/subnets/:subnetId/rooms', ...guard, createRoom(deps));
  r.get('/admin/rooms/:roomId', ...guard, roomPage(deps));
  r.post('/admin/rooms/:roomId', ...guard, saveRoom(deps));
  return r;
}

/** GET /admin/subnets: every subnet. */
const listSubnets =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (_req, res) => {
    res.render('admin/subnets', { title: 'Subnets', subnets: await listAllSubnets(db) });
  };

const renderSubnet = async (
  db: Db,
  res: Response,
  status: number,
  subnet: SubnetSummary | null,
  values: Record<string, string>,
  errors: FormErrors,
  cohortErrors = NO_ERRORS,
  notice?: string,
) => {
  const [cohorts, rooms] = subnet
    ? await Promise.all([listCohorts(db, subnet.id), findRoomsOfSubnets(db, [subnet.id])])
    : [[], []];
  res.status(status).render('admin/subnet', {
    title: subnet ? subnet.name : 'Create a subnet',
    subnet,
    values,
    errors,
    cohorts,
    rooms,
    cohortErrors,
    notice,
    kindLabels: KIND_LABELS,
  });
};

/** GET /admin/subnets/new: the empty form. */
const newSubnetForm =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  (_req, res) =>
    renderSubnet(db, res, 200, null, { hoursStart: '09:00', hoursEnd: '17:00', hoursDays: '1,2,3,4,5' }, NO_ERRORS);

/** POST /admin/subnets: creates the subnet, or re-renders the form at 400 with the input kept. */
const createSubnet =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const values = keptValues(req.body, SUBNET_FIELDS);
    const form = parseForm(SubnetBody, req.body);
    const saved = form.ok ? await saveSubnet(db, auditContext(req), null, form.data) : form;
    if (!saved.ok)
      return renderSubnet(
        db,
        res,
        400,
        null,
        { ...values, hoursDays: keptList(req.body, 'hoursDays').join(',') },
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${saved.id}?done=saved`);
  };

/** GET /admin/subnets/:subnetId: the subnet's settings, cohorts and rooms. */
const subnetPage =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    await renderSubnet(
      db,
      res,
      200,
      subnet,
      toValues(subnet),
      NO_ERRORS,
      NO_ERRORS,
      req.query.done === 'saved' ? 'Saved.' : undefined,
    );
  };

/** POST /admin/subnets/:subnetId: saves the settings, or re-renders the form at 400 with the input kept. */
const updateSubnet =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const form = parseForm(SubnetBody, req.body);
    const saved = form.ok ? await saveSubnet(db, auditContext(req), subnet.id, form.data) : form;
    if (!saved.ok)
      return renderSubnet(
        db,
        res,
        400,
        subnet,
        { ...keptValues(req.body, SUBNET_FIELDS), hoursDays: keptList(req.body, 'hoursDays').join(',') },
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved`);
  };

/** POST /admin/subnets/:subnetId/cohorts: adds a cohort (400 on the subnet page when the name is wrong). */
const createCohort =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const form = parseForm(CohortBody, req.body);
    const saved = form.ok ? await addCohort(db, auditContext(req), subnet.id, form.data.name) : form;
    if (!saved.ok) return renderSubnet(db, res, 400, subnet, toValues(subnet), NO_ERRORS, saved.errors);
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#cohorts`);
  };

const loadCohort = async (db: Db, id: unknown) => {
  const cohort = await findCohort(db, idParam(id));
  if (!cohort) throw notFound();
  return { cohort, subnet: await loadSubnet(db, cohort.subnetId) };
};

/** GET /admin/cohorts/:cohortId: the rename form. */
const cohortPage =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const { cohort, subnet } = await loadCohort(db, req.params.cohortId);
    res.render('admin/cohort', {
      title: `Rename ${cohort.name}`,
      cohort,
      subnet,
      values: { name: cohort.name },
      errors: NO_ERRORS,
    });
  };

/** POST /admin/cohorts/:cohortId: renames the cohort, or re-renders the form at 400 with the input kept. */
const renameCohortPage =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const { cohort, subnet } = await loadCohort(db, req.params.cohortId);
    const form = parseForm(CohortBody, req.body);
    if (!form.ok)
      return res.status(400).render('admin/cohort', {
        title: `Rename ${cohort.name}`,
        cohort,
        subnet,
        values: keptValues(req.body, ['name']),
        errors: form.errors,
      });
    await renameCohort(db, auditContext(req), cohort.id, form.data.name);
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#cohorts`);
  };
