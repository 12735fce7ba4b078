import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { auditContext } from '../audit/audit.service.js';
import { findRoomDetail, findSubnet, type RoomDetail } from '../building/building.service.js';
import { KIND_LABELS } from '../building/labels.js';
import { HttpError, notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { idParam, parseQuery } from '../http/params.js';
import type { CsrfVerifier } from '../http/security.js';
import { authorize, canActInSubnet } from '../policy/index.js';
import {
  authorizeItemManagement,
  managePrefix,
  mediaRoomAbilities,
  type ManageMode,
} from '../building/manage-items.js';
import { receiveUpload } from '../files/uploads.js';
import { findItem, listItemPage, listNeedingReview, type LibraryItemRow } from './library.repo.js';
import { LibraryPageQuery, SearchQuery } from './library.schemas.js';
import {
  isDueForReview,
  listClinicians,
  loadLibraryRoom,
  PDF_RULE,
  readItem,
  saveItem,
  searchLibraries,
  setLibraryItemStatus,
  ukToday,
} from './library.service.js';
import { renderMarkdown } from './markdown.js';

interface Deps {
  db: Db;
  config: Config;
  verifyCsrf: CsrfVerifier;
}

/** What an admin's edit page says after a save or a publish: what the item now is, and who sees it. */
const savedNotice = (published: boolean, roomName: string) =>
  published
    ? `Saved and published: people who can enter ${roomName} can read it.`
    : 'Saved as a draft: only staff can see it.';

/** The library room's page, for the room route (src/rooms), which has loaded the room and let the actor enter it. */
export async function renderLibraryRoom(
  { db }: { db: Db },
  req: Request,
  res: Response,
  room: RoomDetail,
): Promise<void> {
  const actor = actorOf(req);
  const now = new Date();
  const can = mediaRoomAbilities(actor, room, now);
  const q = parseQuery(LibraryPageQuery, req.query);
  const { items, hasNext } = await listItemPage(db, room.id, can.seeDrafts, q.page);
  res.render('library/room', {
    title: room.name,
    room,
    kindLabel: KIND_LABELS[room.kind],
    items,
    page: q.page,
    hasNext,
    can,
    today: ukToday(now),
    isDue: isDueForReview,
    notice: q.done ? 'Saved.' : undefined,
  });
}

/** Reading: an item, search across the person's libraries, "needs review". */
export function libraryRoutes({ db }: Deps): Router {
  const r = Router();

  r.get('/library/items/:itemId', requireUser, async (req, res) => {
    const actor = actorOf(req);
    const now = new Date();
    const { item, room } = await readItem(db, actor, idParam(req.params.itemId), now);
    const can = mediaRoomAbilities(actor, room, now);
    res.render('library/item', {
      title: item.title,
      item,
      room,
      bodyHtml: renderMarkdown(item.bodyMd),
      can,
      due: isDueForReview(item, ukToday(now)),
      notice: req.query.done ? 'Saved.' : undefined,
    });
  });

  r.get('/library/search', requireUser, async (req, res) => {
    const q = parseQuery(SearchQuery, req.query);
    const { hits, rooms } = await searchLibraries(db, actorOf(req), q.q, q.room, new Date());
    res.render('library/search', {
      title: q.q ? `Search results for ${q.q}` : 'Search the library',
      query: q,
      hits,
      rooms,
    });
  });

  r.get('/subnets/:subnetId/needs-review', requireUser, async (req, res) => {
    const now = new Date();
    const subnet = await findSubnet(db, idParam(req.params.subnetId));
    if (!subnet) throw notFound();
    authorize(canActInSubnet(actorOf(req), 'moderate_subnet', subnet, now));
    res.render('library/needs-review', {
      title: `Needs review: ${subnet.name}`,
      subnet,
      items: await listNeedingReview(db, subnet.id, ukToday(now)),
    });
  });

  return r;
}

/** A new item's form: reviewed today by the person adding it, next review in a year, a draft. */
const defaults = (req: Request): Record<string, string> => {
  const today = ukToday(new Date());
  const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
  return { reviewedOn: today, nextReviewOn: nextYear, status: 'draft', reviewedBy: actorOf(req).id };
};

/** An existing item's form values. */
const valuesOf = (item: LibraryItemRow): Record<string, string> => ({
  title: item.title,
  summary: item.summary,
  body: item.bodyMd,
  source: item.source,
  reviewedBy: item.reviewedBy ?? '',
  reviewedOn: item.reviewedOn,
  nextReviewOn: item.nextReviewOn,
  status: item.status,
});

/**
 * Adding and editing items. Clinicians of the subnet do it from the room (prefix ''); admins, who
 * may not read rooms, do it from the admin pages (prefix '/admin'). Same forms, same service.
 */
/** The forms that send a PDF (multipart), for both ways in. */
const uploadPaths = (prefix: string) => ({
  newItem: `${prefix}/rooms/:roomId/items`,
  item: `${prefix}/library/items/:itemId`,
});

/** Every library route that takes a multipart body (src/http/multipart.ts refuses one anywhere else). */
export const LIBRARY_UPLOAD_PATHS: readonly string[] = (['staff', 'admin'] as const).flatMap((mode) =>
  Object.values(uploadPaths(managePrefix(mode))),
);

export function libraryEditorRoutes({ db, config, verifyCsrf }: Deps, mode: ManageMode): Router {
  const r = Router();
  const prefix = managePrefix(mode);
  const paths = uploadPaths(prefix);
  const mayManage = (req: Request, room: RoomDetail) => authorizeItemManagement(req, room, mode);
  const itemUrl = (id: string) =>
    mode === 'admin' ? `/admin/library/items/${id}/edit?done=1` : `/library/items/${id}?done=1`;

  async function renderForm(
    req: Request,
    res: Response,
    status: number,
    room: RoomDetail,
    item: LibraryItemRow | null,
    values: Record<string, string>,
    errors: FormErrors,
  ) {
    const reviewers = await listClinicians(db, room.subnetId);
    res.status(status).render('library/form', {
      title: item ? `Edit ${item.title}` : `Add to ${room.name}`,
      room,
      item,
      values,
      errors,
      reviewers,
      prefix,
      action: item ? `${prefix}/library/items/${item.id}` : `${prefix}/rooms/${room.id}/items`,
      backHref: mode === 'admin' ? `/admin/rooms/${room.id}` : item ? `/library/items/${item.id}` : `/rooms/${room.id}`,
    });
  }

  const loadForEdit = async (req: Request) => {
    const item = await findItem(db, idParam(req.params.itemId));
    const room = item ? await findRoomDetail(db, item.roomId) : undefined;
    if (!item || !room) throw notFound();
    mayManage(req, room);
    return { item, room };
  };

  r.get(`${prefix}/rooms/:roomId/items/new`, requireUser, async (req, res) => {
    const room = await loadLibraryRoom(db, idParam(req.params.roomId));
    mayManage(req, room);
    await renderForm(req, res, 200, room, null, defaults(req), NO_ERRORS);
  });

  r.post(paths.newItem, requireUser, async (req, res) => {
    const room = await loadLibraryRoom(db, idParam(req.params.roomId));
    mayManage(req, room);
    const received = await receiveUpload(req, { attachment: PDF_RULE }, config.uploads.dir, verifyCsrf);
    if (!received.csrfOk) throw new HttpError(403, 'csrf');
    const saved = await saveItem({ db, config }, auditContext(req), room, null, received);
    if (!saved.ok) return renderForm(req, res, saved.status, room, null, received.fields, saved.errors);
    res.redirect(303, itemUrl(saved.id));
  });

  r.get(`${prefix}/library/items/:itemId/edit`, requireUser, async (req, res) => {
    const { item, room } = await loadForEdit(req);
    // Back here after saving or publishing (admin pages): say what the item now is.
    if (req.query.done) res.locals.notice = savedNotice(item.status === 'published', room.name);
    await renderForm(req, res, 200, room, item, valuesOf(item), NO_ERRORS);
  });

  r.post(paths.item, requireUser, async (req, res) => {
    const { item, room } = await loadForEdit(req);
    const received = await receiveUpload(req, { attachment: PDF_RULE }, config.uploads.dir, verifyCsrf);
    if (!received.csrfOk) throw new HttpError(403, 'csrf');
    const saved = await saveItem({ db, config }, auditContext(req), room, item, received);
    if (!saved.ok) return renderForm(req, res, saved.status, room, item, received.fields, saved.errors);
    res.redirect(303, itemUrl(saved.id));
  });

  const publishForm = validate({ params: z.strictObject({ itemId: UuidParam }), body: EmptyForm });
  for (const [path, status] of [
    ['publish', 'published'],
    ['unpublish', 'draft'],
  ] as const) {
    r.post(`${prefix}/library/items/:itemId/${path}`, requireUser, publishForm, async (req, res) => {
      const { item } = await loadForEdit(req);
      await setLibraryItemStatus(db, auditContext(req), item.id, status);
      res.redirect(303, itemUrl(item.id));
    });
  }

  return r;
}
