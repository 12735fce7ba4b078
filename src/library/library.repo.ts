import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';

export interface LibraryItemRow {
  id: string;
  roomId: string;
  title: string;
  summary: string;
  bodyMd: string;
  source: string;
  reviewedBy: string | null;
  reviewedByName: string | null;
  reviewedOn: string;
  nextReviewOn: string;
  status: 'draft' | 'published';
  publishedAt: Date | null;
  attachmentFileId: string | null;
  attachmentName: string | null;
  attachmentSize: number | null;
}

function toItem(r: Record<string, unknown>): LibraryItemRow {
  return {
    id: r.id as string,
    roomId: r.room_id as string,
    title: r.title as string,
    summary: r.summary as string,
    bodyMd: r.body_md as string,
    source: r.source as string,
    reviewedBy: r.reviewed_by as string | null,
    reviewedByName: (r.reviewed_by_name as string | null) ?? null,
    reviewedOn: r.reviewed_on as string,
    nextReviewOn: r.next_review_on as string,
    status: r.status as 'draft' | 'published',
    publishedAt: r.published_at as Date | null,
    attachmentFileId: r.attachment_file_id as string | null,
    attachmentName: (r.attachment_name as string | null) ?? null,
    attachmentSize: r.attachment_size === null || r.attachment_size === undefined ? null : Number(r.attachment_size),
  };
}

const withNames = (db: Db) =>
  db('library_items as i')
    .leftJoin('users as rv', 'rv.id', 'i.reviewed_by')
    .leftJoin('files as f', 'f.id', 'i.attachment_file_id')
    .select(
      'i.*',
      db.raw('coalesce(rv.display_name, rv.nickname) as reviewed_by_name'),
      'f.original_name as attachment_name',
      'f.size as attachment_size',
    );

/** Items of a library room, newest first; drafts only when asked. */
export async function listItems(db: Db, roomId: string, includeDrafts: boolean): Promise<LibraryItemRow[]> {
  const q = withNames(db)
    .where('i.room_id', roomId)
    .orderBy([
      { column: 'i.status', order: 'asc' },
      { column: 'i.updated_at', order: 'desc' },
    ]);
  if (!includeDrafts) q.where('i.status', 'published');
  return (await q).map(toItem);
}

/** What a library room's list shows of an item (never its text). */
export type LibraryListing = Pick<
  LibraryItemRow,
  'id' | 'title' | 'summary' | 'source' | 'reviewedOn' | 'nextReviewOn' | 'status'
>;

// A library room's page: one prepared statement per audience (published only, or with drafts).
const pageOf = (includeDrafts: boolean) =>
  preparedQuery<{ roomId: string; offset: number }>(`library_page${includeDrafts ? '_staff' : ''}`, (db, p) => {
    const q = db('library_items as i')
      .where('i.room_id', p.roomId)
      .select('i.id', 'i.title', 'i.summary', 'i.source', 'i.reviewed_on', 'i.next_review_on', 'i.status')
      .orderBy([
        { column: 'i.status', order: 'asc' },
        { column: 'i.updated_at', order: 'desc' },
        { column: 'i.id', order: 'asc' },
      ])
      .limit(LIBRARY_PAGE + 1)
      .offset(db.raw('?::int', [p.offset]) as unknown as number);
    if (!includeDrafts) q.where('i.status', 'published');
    return q;
  });
const pages = { staff: pageOf(true), readers: pageOf(false) };
export const LIBRARY_PAGE = 20;

/** One page of a library room's items (drafts first, then the latest changed), and whether more follow. */
export async function listItemPage(
  db: Db,
  roomId: string,
  includeDrafts: boolean,
  page: number,
): Promise<{ items: LibraryListing[]; hasNext: boolean }> {
  const rows = await (includeDrafts ? pages.staff : pages.readers)(db, { roomId, offset: (page - 1) * LIBRARY_PAGE });
  return {
    items: rows.slice(0, LIBRARY_PAGE).map((r) => ({
      id: r.id as string,
      title: r.title as string,
      summary: r.summary as string,
      source: r.source as string,
      reviewedOn: r.reviewed_on as string,
      nextReviewOn: r.next_review_on as string,
      status: r.status as LibraryItemRow['status'],
    })),
    hasNext: rows.length > LIBRARY_PAGE,
  };
}

export async function findItem(db: Db, id: string): Promise<LibraryItemRow | undefined> {
  const r = await withNames(db).where('i.id', id).first();
  return r ? toItem(r) : undefined;
}

export interface ItemWrite {
  title: string;
  summary: string;
  bodyMd: string;
  bodyText: string;
  source: string;
  reviewedBy: string;
  reviewedOn: string;
  nextReviewOn: string;
  status: 'draft' | 'published';
  attachmentFileId: string | null | undefined; // undefined: keep
}

function columns(w: ItemWrite): Record<string, unknown> {
  return {
    title: w.title,
    summary: w.summary,
    body_md: w.bodyMd,
    body_text: w.bodyText,
    source: w.source,
    reviewed_by: w.reviewedBy,
    reviewed_on: w.reviewedOn,
    next_review_on: w.nextReviewOn,
    status: w.status,
    ...(w.attachmentFileId !== undefined ? { attachment_file_id: w.attachmentFileId } : {}),
  };
}

export async function insertItem(db: Db, roomId: string, w: ItemWrite, by: string): Promise<string> {
  const [row] = await db('library_items')
    .insert({
      ...columns(w),
      room_id: roomId,
      created_by: by,
      published_at: w.status === 'published' ? db.fn.now() : null,
    })
    .returning('id');
  return row.id;
}

export async function updateItem(db: Db, id: string, w: ItemWrite): Promise<void> {
  await db('library_items')
    .where({ id })
    .update({
      ...columns(w),
      updated_at: db.fn.now(),
      published_at: w.status === 'published' ? db.raw('coalesce(published_at, now())') : null,
    });
}

export async function setItemStatus(db: Db, id: string, status: 'draft' | 'published'): Promise<void> {
  await db('library_items')
    .where({ id })
    .update({
      status,
      updated_at: db.fn.now(),
      published_at: status === 'published' ? db.raw('coalesce(published_at, now())') : null,
    });
}

export interface SearchHit {
  id: string;
  roomId: string;
  roomName: string;
  title: string;
  snippet: string;
  rank: number;
}

// Control characters mark the highlights, so the snippet can be escaped and then marked up.
export const HIT_START = '\u0002';
export const HIT_END = '\u0003';

/** Ranked full-text search over the published items of the given rooms, with highlighted snippets. */
export async function searchItems(db: Db, roomIds: readonly string[], query: string, limit = 20): Promise<SearchHit[]> {
  if (roomIds.length === 0 || !query) return [];
  const rows = await db.raw(
    `SELECT i.id, i.room_id, r.name AS room_name, i.title,
            ts_rank(i.search, q) AS rank,
            ts_headline('english', i.title || '. ' || i.summary || ' ' || i.body_text, q, ?) AS snippet
       FROM library_items i JOIN rooms r ON r.id = i.room_id, websearch_to_tsquery('english', ?) q
      WHERE i.room_id = ANY(?::uuid[]) AND i.status = 'published' AND i.search @@ q
      ORDER BY rank DESC, i.title
      LIMIT ?`,
    [
      `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`,
      query,
      [...roomIds],
      limit,
    ],
  );
  return rows.rows.map((r: Record<string, unknown>) => ({
    id: r.id,
    roomId: r.room_id,
    roomName: r.room_name,
    title: r.title,
    snippet: r.snippet,
    rank: Number(r.rank),
  }));
}

/** Items of a subnet past their next review date (today included), oldest first. */
export async function listNeedingReview(
  db: Db,
  subnetId: string,
  today: string,
): Promise<(LibraryItemRow & { roomName: string })[]> {
  const rows = await withNames(db)
    .join('rooms as r', 'r.id', 'i.room_id')
    .select('r.name as room_name')
    .where('r.subnet_id', subnetId)
    .where('i.next_review_on', '<=', today)
    .orderBy('i.next_review_on');
  return rows.map((r: Record<string, unknown>) => ({ ...toItem(r), roomName: r.room_name as string }));
}

/** Clinicians of a subnet (who may be named as reviewers). */
export async function listClinicians(db: Db, subnetId: string): Promise<{ id: string; name: string }[]> {
  const rows = await db('memberships as m')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'm.subnet_id': subnetId, 'u.role': 'clinician', 'u.status': 'active' })
    .orderBy('u.display_name')
    .select('u.id', db.raw('coalesce(u.display_name, u.nickname) as name'));
  return rows.map((r) => ({ id: r.id, name: r.name }));
}
