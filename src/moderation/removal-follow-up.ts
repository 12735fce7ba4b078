import type { Db } from '../db/knex.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import type { RoomDetail } from '../building/building.service.js';
import type { Realtime } from '../realtime/realtime.js';
import type { NotificationTargetRef } from '../notifications/notifications.service.js';
import { notFound } from '../http/errors.js';
import { memberTarget, setAccountStatus } from '../members/members.service.js';
import { authorize, canActOnMember, isMemberRole } from '../policy/index.js';
import { closeReportsAndNotify, mutedUntil, recordMute } from './moderation.service.js';
import type { ReportTarget } from './moderation.repo.js';

/*
 * What a moderator can still do about the author of something they removed from the queue (a
 * living-room message, a noticeboard thread or reply): mute them in its room, suspend them. One
 * model for all three, so removal never ends the job in one place and not another (issue 15 item 4).
 */

/** A message or post in the moderation queue, as its author's mute and suspension need it. */
export interface ModeratedItem {
  kind: 'message' | 'thread' | 'reply';
  id: string;
  /** What it is, in words, for the page: 'The message', 'The thread “Title”'. */
  label: string;
  authorId: string;
  removed: boolean;
  /** Its room: a mute applies here; its subnet is where the author may be suspended. */
  room: RoomDetail;
  /** Where its follow-up lives: `${path}/removed`, `${path}/mute`, `${path}/suspend-author`. */
  path: string;
  /** Its open reports, where their reporters are told to look when one closes. */
  reports: { where: ReportTarget; link: string; target: NotificationTargetRef };
}

/** What is still open to a moderator about a removed item's author. */
export interface RemovalFollowUp {
  item: ModeratedItem;
  author: { nickname: string; suspended: boolean; mutedUntil: Date | null };
  can: { mute: boolean; suspend: boolean };
}

/**
 * The page after removing an item: its author, whether they can still be muted in its room
 * (members only: staff are never muted) and suspended (the policy's answer for this moderator).
 * @throws HttpError 404 unless the item was removed.
 */
export async function removalFollowUp(
  db: Db,
  actor: SessionUser,
  item: ModeratedItem,
  now: Date,
): Promise<RemovalFollowUp> {
  const author = item.removed ? await memberTarget(db, item.authorId) : undefined;
  if (!author) throw notFound();
  const suspended = author.status !== 'active';
  return {
    item,
    author: { nickname: author.nickname, suspended, mutedUntil: await mutedUntil(db, item.room.id, author.id) },
    can: {
      mute: isMemberRole(author.role) && !suspended,
      suspend: !suspended && canActOnMember(actor, 'suspend_member', author, item.room.subnetId, now).allowed,
    },
  };
}

/** Closes an item's open reports with an outcome; the reporters are told once it commits. */
const closeItemReports = (
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  item: ModeratedItem,
  outcome: 'muted' | 'suspended',
) =>
  closeReportsAndNotify(
    db,
    realtime,
    item.reports.where,
    ctx.actorId ?? '',
    outcome,
    item.reports.link,
    item.room,
    item.reports.target,
  );

/**
 * Mutes an item's author in its room for some minutes (staff are never muted: nobody is offered
 * it); from the queue (`closeReports`) its open reports close as 'muted' in the same transaction.
 * The author's pages are told after the commit. Audited.
 */
export async function muteItemAuthor(
  deps: { db: Db; realtime: Realtime },
  ctx: AuditContext,
  item: ModeratedItem,
  minutes: number,
  now: Date,
  opts: { reason?: string; closeReports?: boolean } = {},
): Promise<Date> {
  const until = new Date(now.getTime() + minutes * 60_000);
  await deps.db.transaction(async (trx) => {
    await recordMute(trx, item.room.id, item.authorId, ctx.actorId ?? '', until, opts.reason || null);
    await recordAudit(trx, ctx, {
      action: 'member.mute',
      targetType: 'user',
      targetId: item.authorId,
      details: { room_id: item.room.id, minutes },
    });
    if (opts.closeReports) await closeItemReports(trx, deps.realtime, ctx, item, 'muted');
  });
  deps.realtime.emitToUser(item.authorId, 'mute', { roomId: item.room.id, until: until.toISOString() });
  return until;
}

/**
 * The author of an item, for the suspension step, checked: the actor may suspend them in the
 * item's subnet.
 * @throws HttpError 404 (no such person) / PolicyDenied.
 */
export async function authorToSuspend(db: Db, actor: SessionUser, item: ModeratedItem, now: Date) {
  const author = await memberTarget(db, item.authorId);
  if (!author) throw notFound();
  authorize(canActOnMember(actor, 'suspend_member', author, item.room.subnetId, now));
  return author;
}

/**
 * Suspends an item's author (the reason and the item kept in the audit log) and closes the item's
 * open reports as 'suspended', in one transaction; their pages are told after the commit.
 */
export async function suspendItemAuthor(
  deps: { db: Db; realtime: Realtime },
  ctx: AuditContext,
  item: ModeratedItem,
  reason: string,
): Promise<void> {
  await deps.db.transaction(async (trx) => {
    await setAccountStatus(trx, deps.realtime, ctx, item.authorId, 'suspended', {
      subnet_id: item.room.subnetId,
      [`${item.kind}_id`]: item.id,
      reason,
    });
    await closeItemReports(trx, deps.realtime, ctx, item, 'suspended');
  });
}
