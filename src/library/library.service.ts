import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { findRoomsOfSubnets, type RoomDetail } from '../building/building.service.js';
import { loadRoomForContent, loadRoomOfKind } from '../rooms/load-room.js';
import { formErrors, type FieldError, type FormErrors } from '../http/forms.js';
import { canSeeRoom, isCurrent } from '../policy/index.js';
import { insertFile } from '../files/files.service.js';
import { discardFiles, type Received } from '../files/uploads.js';
import {
  findItem,
  insertItem,
  listClinicians,
  searchItems,
  setItemStatus,
  updateItem,
  HIT_END,
  HIT_START,
  type LibraryItemRow,
  type SearchHit,
} from './library.repo.js';
import { LibraryItemFields, type LibraryItemInput } from './library.schemas.js';
import { markdownText } from './markdown.js';

export const PDF_RULE = { label: 'attachment', maxBytes: 50 * 1024 * 1024, types: ['application/pdf'] } as const;

/**
 * A library room by id.
 * @throws HttpError 404 when there is none (or it is another kind of room).
 */
export async function loadLibraryRoom(db: Db, roomId: string): Promise<RoomDetail> {
  return loadRoomOfKind(db, roomId, 'library');
}

/**
 * An item and its room for reading: published items to anyone who may enter the room, drafts to
 * its staff only (to everyone else a draft does not exist).
 * @throws HttpError 404 / PolicyDenied.
 */
export async function readItem(
  db: Db,
  actor: SessionUser,
  itemId: string,
  now: Date,
): Promise<{ item: LibraryItemRow; room: RoomDetail }> {
  const item = await findItem(db, itemId);
  const room = await loadRoomForContent(db, actor, item && { ...item, authorId: null }, now);
  return { item: item as LibraryItemRow, room };
}

/** Whether an item is due for review (its next review date is today or past). */
export const isDueForReview = (item: Pick<LibraryItemRow, 'nextReviewOn'>, today: string): boolean =>
  item.nextReviewOn <= today;

/** Today's date in the UK, as YYYY-MM-DD. */
export function ukToday(now: Date): string {
  return UK_DAY.format(now);
}
// en-CA writes YYYY-MM-DD; one formatter (building one per call cost more than the rest of a page).
const UK_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** The library rooms (ids) this person's key opens. */
export async function openLibraryRooms(db: Db, actor: SessionUser, now: Date): Promise<{ id: string; name: string }[]> {
  const subnetIds = actor.memberships.filter((m) => isCurrent(m, now)).map((m) => m.subnetId);
  const rooms = await findRoomsOfSubnets(db, subnetIds);
  return rooms
    .filter((r) => r.kind === 'library' && canSeeRoom(actor, r, now).allowed)
    .map((r) => ({ id: r.id, name: r.name }));
}

export interface SnippetPart {
  text: string;
  hit: boolean;
}

/** Searches only the libraries the person may enter (optionally one of them). */
export async function searchLibraries(
  db: Db,
  actor: SessionUser,
  query: string,
  roomId: string,
  now: Date,
): Promise<{ hits: (SearchHit & { parts: SnippetPart[] })[]; rooms: { id: string; name: string }[] }> {
  const rooms = await openLibraryRooms(db, actor, now);
  const scope = roomId ? rooms.filter((r) => r.id === roomId).map((r) => r.id) : rooms.map((r) => r.id);
  const hits = await searchItems(db, scope, query);
  return { rooms, hits: hits.map((h) => ({ ...h, parts: splitSnippet(h.snippet) })) };
}

/** Splits a ts_headline snippet at the highlight markers, for safe rendering. */
export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const chunk of snippet.split(HIT_START)) {
    const [hit, rest] = chunk.includes(HIT_END) ? chunk.split(HIT_END) : [null, chunk];
    if (hit) parts.push({ text: hit, hit: true });
    if (rest) parts.push({ text: rest, hit: false });
  }
  return parts;
}

export type SaveResult = { ok: true; id: string } | { ok: false; errors: FormErrors; status: 400 | 413 };

/**
 * Creates or edits an item from a received form. The reviewer must be a clinician of the subnet.
 * Files of a refused form are deleted. Audited.
 */
export async function saveItem(
  deps: { db: Db; config: Config },
  ctx: AuditContext,
  room: RoomDetail,
  existing: LibraryItemRow | null,
  received: Received,
): Promise<SaveResult> {
  const { db, config } = deps;
  const fail = async (errors: FieldError[], status: 400 | 413 = 400): Promise<SaveResult> => {
    await discardFiles(config.uploads.dir, Object.values(received.files));
    return { ok: false, errors: formErrors(errors), status };
  };
  if (received.errors.length) return fail(received.errors, received.tooLarge ? 413 : 400);
  const parsed = LibraryItemFields.safeParse(received.fields);
  if (!parsed.success)
    return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'title'), message: i.message })));
  const input: LibraryItemInput = parsed.data;
  const reviewers = await listClinicians(db, room.subnetId);
  if (!reviewers.some((r) => r.id === input.reviewedBy))
    return fail([{ field: 'reviewedBy', message: 'Choose a clinician of this service' }]);
  const id = await db.transaction(async (trx) => {
    const pdf = received.files.attachment;
    const attachmentFileId = pdf ? await insertFile(trx, pdf, ctx.actorId) : input.removeAttachment ? null : undefined;
    const write = {
      title: input.title,
      summary: input.summary,
      bodyMd: input.body,
      bodyText: markdownText(input.body),
      source: input.source,
      reviewedBy: input.reviewedBy,
      reviewedOn: input.reviewedOn,
      nextReviewOn: input.nextReviewOn,
      status: input.status,
      attachmentFileId,
    };
    const savedId = existing ? existing.id : await insertItem(trx, room.id, write, ctx.actorId ?? '');
    if (existing) await updateItem(trx, existing.id, write);
    await recordAudit(trx, ctx, {
      action: existing ? 'library.item.edit' : 'library.item.create',
      targetType: 'library_item',
      targetId: savedId,
      details: { room_id: room.id, status: input.status },
    });
    return savedId;
  });
  return { ok: true, id };
}

/** The subnet's clinicians (who review items), and a library room's items (drafts too when asked: the admin's room page lists them all). */
export { listClinicians, listItems } from './library.repo.js';

/** Publishes or unpublishes an item, with its audit row, in one transaction. */
export async function setLibraryItemStatus(
  db: Db,
  ctx: AuditContext,
  id: string,
  status: 'draft' | 'published',
): Promise<void> {
  await db.transaction(async (trx) => {
    await setItemStatus(trx, id, status);
    await recordAudit(trx, ctx, {
      action: `library.item.${status === 'published' ? 'publish' : 'unpublish'}`,
      targetType: 'library_item',
      targetId: id,
    });
  });
}
