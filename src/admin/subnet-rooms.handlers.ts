import type { RequestHandler, Response } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import { findRoomDetail, findSubnet, listCohorts, type SubnetSummary } from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { ROOM_KINDS } from '../policy/index.js';
import { keptList, keptValues } from './admin.guard.js';
import { RoomBody } from './admin.schemas.js';
import { saveRoomFor } from './admin.service.js';
import { listItems } from '../library/library.service.js';
import { listVideos } from '../television/television.service.js';

// The handlers of the admin pages for a subnet's rooms; subnets.routes.ts lists their paths and middleware.

/** What the admin subnet pages need. */
export interface AdminSubnetDeps {
  db: Db;
}

/** The subnet a URL names, or 404. */
export const loadSubnet = async (db: Db, id: unknown): Promise<SubnetSummary> =>
  (await findSubnet(db, idParam(id))) ?? Promise.reject(notFound());

const ROOM_FIELDS = ['name', 'description', 'kind', 'preModerated', 'cover'] as const;

const renderRoom = async (
  db: Db,
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

/** GET /admin/subnets/:subnetId/rooms/new: the empty form. */
export const newRoomForm =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    await renderRoom(
      db,
      res,
      200,
      await loadSubnet(db, req.params.subnetId),
      null,
      { kind: 'living_room', cover: 'open' },
      [],
      NO_ERRORS,
    );
  };

/** POST /admin/subnets/:subnetId/rooms: adds the room, or re-renders the form at 400 with the input kept. */
export const createRoom =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const form = parseForm(RoomBody, req.body);
    const saved = form.ok ? await saveRoomFor(db, auditContext(req), subnet.id, null, form.data) : form;
    if (!saved.ok)
      return renderRoom(
        db,
        res,
        400,
        subnet,
        null,
        keptValues(req.body, ROOM_FIELDS),
        keptList(req.body, 'audience'),
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#rooms`);
  };

const loadRoom = async (db: Db, id: unknown) => {
  const room = await findRoomDetail(db, idParam(id));
  if (!room) throw notFound();
  return { room, subnet: await loadSubnet(db, room.subnetId) };
};

/** GET /admin/rooms/:roomId: the room's settings, library items and videos. */
export const roomPage =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const { room, subnet } = await loadRoom(db, req.params.roomId);
    await renderRoom(
      db,
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
  };

/** POST /admin/rooms/:roomId: saves the room, or re-renders the form at 400 with the input kept. */
export const saveRoom =
  ({ db }: AdminSubnetDeps): RequestHandler =>
  async (req, res) => {
    const { room, subnet } = await loadRoom(db, req.params.roomId);
    const form = parseForm(RoomBody, req.body);
    const saved = form.ok ? await saveRoomFor(db, auditContext(req), subnet.id, room.id, form.data) : form;
    if (!saved.ok)
      return renderRoom(
        db,
        res,
        400,
        subnet,
        room.id,
        keptValues(req.body, ROOM_FIELDS),
        keptList(req.body, 'audience'),
        saved.errors,
      );
    res.redirect(303, `/admin/subnets/${subnet.id}?done=saved#rooms`);
  };
