import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import type { ListedContentStatuses, Role } from '../policy/index.js';

export type PostStatus = 'visible' | 'held' | 'removed' | 'declined';

export interface ThreadRow {
  id: string;
  roomId: string;
  authorId: string;
  authorNickname: string;
  authorRole: Role;
  title: string;
  body: string;
  status: PostStatus;
  pinned: boolean;
  locked: boolean;
  answeredByStaff: boolean;
  replyCount: number;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface ReplyRow {
  id: string;
  threadId: string;
  authorId: string;
  authorNickname: string;
  authorRole: Role;
  body: string;
  status: PostStatus;
  createdAt: Date;
}

function toThread(r: Record<string, unknown>): ThreadRow {
  return {
    id: r.id as string,
    roomId: r.room_id as string,
    authorId: r.author_id as string,
    authorNickname: r.nickname as string,
    authorRole: r.role as Role,
    title: r.title as string,
    body: r.body as string,
    status: r.status as PostStatus,
    pinned: Boolean(r.pinned),
    locked: Boolean(r.locked),
    answeredByStaff: Boolean(r.answered_by_staff),
    replyCount: Number(r.reply_count),
    createdAt: r.created_at as Date,
    lastActivityAt: r.last_activity_at as Date,
  };
}

function toReply(r: Record<string, unknown>): ReplyRow {
  return {
    id: r.id as string,
    threadId: r.thread_id as string,
    authorId: r.author_id as string,
    authorNickname: r.nickname as string,
    authorRole: r.role as Role,
    body: r.body as string,
    status: r.status as PostStatus,
    createdAt: r.created_at as Date,
  };
}

// The badge is the role the author wrote with (author_role), not their role today; the current
// role only for rows written without it by other tools.
const threads = (db: Db) =>
  db('threads as t')
    .join('users as u', 'u.id', 't.author_id')
    .select('t.*', 'u.nickname', db.raw('coalesce(t.author_role, u.role) as role'));
const replies = (db: Db) =>
  db('replies as p')
    .join('users as u', 'u.id', 'p.author_id')
    .select('p.*', 'u.nickname', db.raw('coalesce(p.author_role, u.role) as role'));

/** What a noticeboard's list shows of a thread (never its text). */
export type ThreadListing = Omit<ThreadRow, 'body'>;

type ListParams = { roomId: string; viewerId: string; offset: number };
// One prepared statement per pair of status lists (the policy gives few): the statuses are literals
// in the plan, so PostgreSQL walks threads_board_order_idx in order and stops after a page.
const listStatements = new Map<string, ReturnType<typeof preparedQuery<ListParams>>>();
function listPrepared({ anyone, own }: ListedContentStatuses, limit: number) {
  const key = `${anyone.join('_')}__${own.join('_')}__${limit}`;
  let q = listStatements.get(key);
  if (!q) {
    q = preparedQuery<ListParams>(`noticeboard_page_${listStatements.size}`, (db, p) =>
      db('threads as t')
        .join('users as u', 'u.id', 't.author_id')
        .select(
          't.id',
          't.room_id',
          't.author_id',
          't.title',
          't.status',
          't.pinned',
          't.locked',
          't.answered_by_staff',
          't.reply_count',
          't.created_at',
          't.last_activity_at',
          'u.nickname',
          db.raw('coalesce(t.author_role, u.role) as role'),
        )
        .where('t.room_id', p.roomId)
        .where((w) =>
          w.whereIn('t.status', anyone).orWhere((o) => o.where('t.author_id', p.viewerId).whereIn('t.status', own)),
        )
        .orderBy([
          { column: 't.pinned', order: 'desc' },
          { column: 't.last_activity_at', order: 'desc' },
          { column: 't.id', order: 'desc' },
        ])
        .limit(limit)
        .offset(db.raw('?::int', [p.offset]) as unknown as number),
    );
    listStatements.set(key, q);
  }
  return q;
}

/**
 * A page of a noticeboard's threads: pinned first, then the most recently active. Visible threads,
 * in the statuses the policy lists for the viewer (`listedContentStatuses`): everybody's in `anyone`,
 * `viewerId`'s own also in `own`.
 */
export async function listThreads(
  db: Db,
  roomId: string,
  opts: { viewerId: string; statuses: ListedContentStatuses; limit: number; offset: number },
): Promise<ThreadListing[]> {
  if (opts.statuses.anyone.length === 0 && opts.statuses.own.length === 0) return [];
  const rows = await listPrepared(opts.statuses, opts.limit)(db, {
    roomId,
    viewerId: opts.viewerId,
    offset: opts.offset,
  });
  return rows.map((r) => {
    const { body: _body, ...listing } = toThread(r);
    return listing;
  });
}

export async function findThread(db: Db, id: string): Promise<ThreadRow | undefined> {
  const r = await threads(db).where('t.id', id).first();
  return r ? toThread(r) : undefined;
}

export async function findReply(db: Db, id: string): Promise<ReplyRow | undefined> {
  const r = await replies(db).where('p.id', id).first();
  return r ? toReply(r) : undefined;
}

/** What a notification about a thread needs (never the body): the threads of these ids that exist. */
export async function findThreadHeadings(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; roomId: string; authorId: string; title: string; status: PostStatus }[]> {
  if (ids.length === 0) return [];
  const rows = await db('threads').whereIn('id', ids).select('id', 'room_id', 'author_id', 'title', 'status');
  return rows.map((r) => ({ id: r.id, roomId: r.room_id, authorId: r.author_id, title: r.title, status: r.status }));
}

/** What a notification about a reply needs (never the body): its thread and the role it was written with. */
export async function findReplyHeadings(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; threadId: string; authorRole: Role; status: PostStatus }[]> {
  if (ids.length === 0) return [];
  const rows = await db('replies as p')
    .join('users as u', 'u.id', 'p.author_id')
    .whereIn('p.id', ids)
    .select('p.id', 'p.thread_id', 'p.status', db.raw('coalesce(p.author_role, u.role) as role'));
  return rows.map((r) => ({ id: r.id, threadId: r.thread_id, authorRole: r.role, status: r.status }));
}

/** A thread's replies, oldest first, in the statuses the policy lists for the viewer (as for threads). */
export async function listReplies(
  db: Db,
  threadId: string,
  opts: { viewerId: string; statuses: ListedContentStatuses },
): Promise<ReplyRow[]> {
  const { anyone, own } = opts.statuses;
  const q = replies(db)
    .where('p.thread_id', threadId)
    .where((w) =>
      w.whereIn('p.status', anyone).orWhere((o) => o.where('p.author_id', opts.viewerId).whereIn('p.status', own)),
    );
  return (await q.orderBy('p.created_at', 'asc')).map(toReply);
}

/** Writes a thread with its author's role now, so its badge stays what it was when written. */
export async function insertThread(
  db: Db,
  t: { roomId: string; authorId: string; authorRole: Role; title: string; body: string; status: 'visible' | 'held' },
): Promise<string> {
  const [row] = await db('threads')
    .insert({
      room_id: t.roomId,
      author_id: t.authorId,
      author_role: t.authorRole,
      title: t.title,
      body: t.body,
      status: t.status,
    })
    .returning('id');
  return row.id;
}

/** Writes a reply with its author's role now, so its badge stays what it was when written. */
export async function insertReply(
  db: Db,
  r: { threadId: string; authorId: string; authorRole: Role; body: string; status: 'visible' | 'held' },
): Promise<string> {
  const [row] = await db('replies')
    .insert({ thread_id: r.threadId, author_id: r.authorId, author_role: r.authorRole, body: r.body, status: r.status })
    .returning('id');
  return row.id;
}

/** Counts a now-visible reply on its thread (activity, count, "answered by staff"). */
export async function touchThreadForReply(db: Db, threadId: string, byStaff: boolean): Promise<void> {
  await db('threads')
    .where({ id: threadId })
    .update({
      reply_count: db.raw('reply_count + 1'),
      last_activity_at: db.fn.now(),
      ...(byStaff ? { answered_by_staff: true } : {}),
    });
}

export async function setPostStatus(
  db: Db,
  table: 'threads' | 'replies',
  id: string,
  from: PostStatus[],
  to: PostStatus,
  by: string,
  reason: string | null,
): Promise<boolean> {
  return (
    (await db(table)
      .where({ id })
      .whereIn('status', from)
      .update({ status: to, moderated_by: by, moderated_at: db.fn.now(), moderation_reason: reason })) > 0
  );
}

export async function updateThreadFlags(
  db: Db,
  id: string,
  flags: Partial<{ pinned: boolean; locked: boolean; room_id: string; last_activity_at: unknown }>,
): Promise<void> {
  await db('threads').where({ id }).update(flags);
}

export async function insertPostReport(
  db: Db,
  target: { threadId?: string; replyId?: string },
  reporterId: string,
  reason: string,
): Promise<number | null> {
  const existing = await db('reports')
    .where({ reporter_id: reporterId, thread_id: target.threadId ?? null, reply_id: target.replyId ?? null })
    .first('id');
  if (existing) return null;
  const [row] = await db('reports')
    .insert({ thread_id: target.threadId ?? null, reply_id: target.replyId ?? null, reporter_id: reporterId, reason })
    .returning('id');
  return Number(row.id);
}

export async function insertPostAlert(
  db: Db,
  subnetId: string,
  target: { threadId?: string; replyId?: string },
  matched: string,
): Promise<void> {
  await db('alerts').insert({
    subnet_id: subnetId,
    thread_id: target.threadId ?? null,
    reply_id: target.replyId ?? null,
    matched,
  });
}
