import { Router, type Response } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import {
  findRoomDetail,
  findRoomsOfSubnets,
  findSubnet,
  listAllSubnets,
  listCohorts,
  type SubnetSummary,
} from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { ROOM_KINDS } from '../policy/index.js';
import { adminOnly, keptList, keptValues } from './admin.guard.js';
import { CohortBody, RoomBody, SubnetBody } from './admin.schemas.js';
import { addCohort, renameCohort, saveRoomFor, saveSubnet } from './admin.service.js';
import { findCohort } from './admin.repo.js';
import { listItems } from '../library/library.service.js';
import { listVideos } from '../television/television.service.js';

const SUBNET_FIELDS = [
  'name',
  'slug',
  'description',
  'crisisContacts',
  'serviceHours',
  'careTeamIncludesPeerModerators',
  'hoursStart',
  'hoursEnd',
  'chatRetentionDays',
] as const;
const ROOM_FIELDS = ['name', 'description', 'kind', 'preModerated', 'cover'] as const;
const toValues = (s: SubnetSummary): Record<string, string> => ({
  name: s.name,
  slug: s.slug,
  description: s.description,
  crisisContacts: s.crisisContacts,
  serviceHours: s.serviceHours,
  careTeamIncludesPeerModerators: s.careTeamIncludesPeerModerators ? 'yes' : '',
  hoursStart: s.hours.start,
  hoursEnd: s.hours.end,
  hoursDays: s.hours.days.join(','),
  chatRetentionDays: s.chatRetentionDays === null ? '' : String(s.chatRetentionDays),
});

/** Admin pages for subnets, their cohorts and rooms. */
export function adminSubnetRoutes({ db }: { db: Db }): Router {
  const r = Router();
  const guard = adminOnly('manage_subnets');
  const loadSubnet = async (id: unknown) => (await findSubnet(db, idParam(id))) ?? Promise.reject(notFound());

  r.get('/admin', ...adminOnly('read_audit'), (_req, res) => res.render('admin/index', { title: 'Administration' }));

  r.get('/admin/subnets', ...guard, async (_req, res) => {
    res.render('admin/subnets', { title: 'Subnets', subnets: await listAllSubnets(db) });
  });

  const renderSubnet = async (
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

  r.get('/admin/subnets/new', ...guard, (_req, res) =>
    renderSubnet(res, 200, null, { hoursStart: '09:00', hoursEnd: '17:00', hoursDays: '1,2,3,4,5' }, NO_ERRORS),
  );
  r.post('/admin/subnets', ...guard, async (req, res) => {
    const values = keptValues(req.body, SUBNET_FIELDS);
    const form = parseForm(SubnetBody, req.body);
    const saved = form.ok ? await saveSubnet(db, auditContext(req), null, form.data) : form;
    if (!saved.ok)
      return renderSubnet(
        res,
        400,
        null,
        { ...values, hoursDays: keptList(req.body, 'hoursDays').join(',') },
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${saved.id}?done=saved`);
  });

  r.get('/admin/subnets/:subnetId', ...guard, async (req, res) => {
    const subnet = await loadSubnet(req.params.subnetId);
    await renderSubnet(
      res,
      200,
      subnet,
      toValues(subnet),
      NO_ERRORS,
      NO_ERRORS,
      req.query.done === 'saved' ? 'Saved.' : undefined,
    );
  });
  r.post('/admin/subnets/:subnetId', ...guard, async (req, res) => {
    const subnet = await loadSubnet(req.params.subnetId);
    const form = parseForm(SubnetBody, req.body);
    const saved = form.ok ? await saveSubnet(db, auditContext(req), subnet.id, form.data) : form;
    if (!saved.ok)
      return renderSubnet(
        res,
        400,
        subnet,
        { ...keptValues(req.body, SUBNET_FIELDS), hoursDays: keptList(req.body, 'hoursDays').join(',') },
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved`);
  });
  r.post('/admin/subnets/:subnetId/cohorts', ...guard, async (req, res) => {
    const subnet = await loadSubnet(req.params.subnetId);
    const form = parseForm(CohortBody, req.body);
    const saved = form.ok ? await addCohort(db, auditContext(req), subnet.id, form.data.name) : form;
    if (!saved.ok) return renderSubnet(res, 400, subnet, toValues(subnet), NO_ERRORS, saved.errors);
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#cohorts`);
  });

  const loadCohort = async (id: unknown) => {
    const cohort = await findCohort(db, idParam(id));
    if (!cohort) throw notFound();
    return { cohort, subnet: await loadSubnet(cohort.subnetId) };
  };
  r.get('/admin/cohorts/:cohortId', ...guard, async (req, res) => {
    const { cohort, subnet } = await loadCohort(req.params.cohortId);
    res.render('admin/cohort', {
      title: `Rename ${cohort.name}`,
      cohort,
      subnet,
      values: { name: cohort.name },
      errors: NO_ERRORS,
    });
  });
  r.post('/admin/cohorts/:cohortId', ...guard, async (req, res) => {
    const { cohort, subnet } = await loadCohort(req.params.cohortId);
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
  });

  const renderRoom = async (
    res: Response,
    status: number,
    subnet: SubnetSummary,
    roomId: string | null,
    values: Record<string, string>,
    audience: string[],
    errors: FormErrors,
  ) => {
    // Admins add library items and videos from here (they may not read the rooms themselves).
    const [items, videos] = roomId
      ? await Promise.all([listItems(db, roomId, true), listVideos(db, roomId, true)])
      : [[], []];
    res.status(status).render('admin/room', {
      title: roomId ? `Edit ${values.name}` : 'Add a room',
      subnet,
      roomId,
      values,
      audience,
      errors,
      cohorts: await listCohorts(db, subnet.id),
      kinds: ROOM_KINDS,
      kindLabels: KIND_LABELS,
      items,
      videos,
    });
  };

  r.get('/admin/subnets/:subnetId/rooms/new', ...guard, async (req, res) => {
    await renderRoom(
      res,
      200,
      await loadSubnet(req.params.subnetId),
      null,
      { kind: 'living_room', cover: 'open' },
      [],
      NO_ERRORS,
    );
  });
  r.post('/admin/subnets/:subnetId/rooms', ...guard, async (req, res) => {
    const subnet = await loadSubnet(req.params.subnetId);
    const form = parseForm(RoomBody, req.body);
    const saved = form.ok ? await saveRoomFor(db, auditContext(req), subnet.id, null, form.data) : form;
    if (!saved.ok)
      return renderRoom(
        res,
        400,
        subnet,
        null,
        keptValues(req.body, ROOM_FIELDS),
        keptList(req.body, 'audience'),
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#rooms`);
  });

  const loadRoom = async (id: unknown) => {
    const room = await findRoomDetail(db, idParam(id));
    if (!room) throw notFound();
    return { room, subnet: await loadSubnet(room.subnetId) };
  };
  r.get('/admin/rooms/:roomId', ...guard, async (req, res) => {
    const { room, subnet } = await loadRoom(req.params.roomId);
    await renderRoom(
      res,
      200,
      subnet,
      room.id,
      {
        name: room.name,
        description: room.description,
        kind: room.kind,
        preModerated: room.preModerated ? 'yes' : '',
        cover: room.cover,
      },
      [...room.audienceCohortIds],
      NO_ERRORS,
    );
  });
  r.post('/admin/rooms/:roomId', ...guard, async (req, res) => {
    const { room, subnet } = await loadRoom(req.params.roomId);
    const form = parseForm(RoomBody, req.body);
    const saved = form.ok ? await saveRoomFor(db, auditContext(req), subnet.id, room.id, form.data) : form;
    if (!saved.ok)
      return renderRoom(
        res,
        400,
        subnet,
        room.id,
        keptValues(req.body, ROOM_FIELDS),
        keptList(req.body, 'audience'),
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#rooms`);
  });

  return r;
}
