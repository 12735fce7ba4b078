import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import type { RoomDetail } from '../building/building.service.js';
import { mutedUntil } from '../moderation/moderation.service.js';
import type { Realtime } from '../realtime/realtime.js';
import { badgeFor } from '../people/labels.js';
import type { PostingState } from '../policy/index.js';
import { endDutyRow, listOnDuty, startDutyRow, type OnDutyRow } from './duty.repo.js';
import { describeHours, isWithinServiceHours } from './service-hours.js';
import {
  findLastHandover,
  findOpenDutyStart,
  listOpenItems,
  type HandoverNote,
  type OpenItemKind,
  type OpenItems,
} from './handover.repo.js';

/** The subnets where the person is on duty now (their ids); the lobby and the living room ask it. */
export { dutySubnetsOf } from './duty.repo.js';
export type { OnDutyRow } from './duty.repo.js';

export interface RoomCover {
  /** Staff of the subnet on duty now, by public name and badge. */
  onDuty: { nickname: string; badge: string | null }[];
  withinHours: boolean;
  hoursText: string;
  /** The room's cover rule, and whether it applies now (nobody on duty). */
  cover: 'open' | 'pre_moderated' | 'read_only';
  coverActive: boolean;
}

/** How a room stands right now: who is on duty, service hours, and its cover rule. */
export async function roomCover(db: Db, config: Config, room: RoomDetail, now: Date): Promise<RoomCover> {
  return coverOf(config, room, await listOnDuty(db, room.subnetId), now);
}

/** The cover a room has now, given who is on duty in its subnet. */
export function coverOf(config: Config, room: RoomDetail, onDuty: OnDutyRow[], now: Date): RoomCover {
  const hours = room.hours;
  return {
    onDuty: onDuty.map((d) => ({ nickname: d.nickname, badge: badgeFor(d.role) })),
    withinHours: isWithinServiceHours(now, hours, config.safety.timeZone, config.safety.bankHolidays),
    hoursText: describeHours(hours),
    cover: room.cover,
    coverActive: onDuty.length === 0 && room.cover !== 'open',
  };
}

/** The actor's posting state in a room: their mute, and whether the room is read-only now. */
export async function postingState(db: Db, actorId: string, cover: RoomCover, roomId: string): Promise<PostingState> {
  return {
    mutedUntil: await mutedUntil(db, roomId, actorId),
    readOnlyNow: cover.coverActive && cover.cover === 'read_only',
  };
}

/** Whether members' posts are held now because of the room's cover rule. */
export const coverHoldsPosts = (cover: RoomCover): boolean => cover.coverActive && cover.cover === 'pre_moderated';

/** Puts a staff member on duty in a subnet: alerts reach their open pages from now on. Audited. */
export async function goOnDuty(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  actor: SessionUser,
  subnetId: string,
): Promise<void> {
  if (await startDutyRow(db, actor.id, subnetId))
    await recordAudit(db, ctx, { action: 'duty.start', targetType: 'subnet', targetId: subnetId });
  realtime.joinDuty(actor.id, subnetId);
  // The staff home's "On duty now" card (issue 15) reads who is on duty again.
  realtime.emitToStaff(subnetId, 'workspace:changed', { subnetId });
}

/** Ending a duty: it ended (or there was none), or it needs a handover note for these open items. */
export type EndDutyOutcome = { ended: boolean } | { needsNote: OpenItems };

/**
 * Ends a duty with its handover note, in one transaction with its audit row. While the subnet has
 * open items (unacknowledged alerts, held messages or posts, care-team conversations awaiting a
 * reply) a note is required: without one nothing changes and the open items come back to be shown.
 * With none, the note stays optional.
 */
export async function goOffDuty(
  db: Db,
  realtime: Realtime,
  ctx: AuditContext,
  actor: SessionUser,
  subnetId: string,
  note: string,
): Promise<EndDutyOutcome> {
  const outcome = await db.transaction(async (trx): Promise<EndDutyOutcome> => {
    if (!(await findOpenDutyStart(trx, actor.id, subnetId))) return { ended: false };
    const open = await listOpenItems(trx, subnetId);
    if (open.total > 0 && !note) return { needsNote: open };
    const id = await endDutyRow(trx, actor.id, subnetId, note || null);
    if (id !== null)
      await recordAudit(trx, ctx, {
        action: 'duty.end',
        targetType: 'subnet',
        targetId: subnetId,
        details: { duty_id: id, handover_note: note ? 'yes' : 'no', open_items: open.total },
      });
    return { ended: id !== null };
  });
  if ('ended' in outcome) {
    realtime.leaveDuty(actor.id, subnetId);
    realtime.emitToStaff(subnetId, 'workspace:changed', { subnetId });
  }
  return outcome;
}

/** How the duty page names each kind of open item: one, and several. */
export const OPEN_ITEM_LABELS: Record<OpenItemKind, { one: string; many: string }> = {
  alert: { one: 'unacknowledged alert', many: 'unacknowledged alerts' },
  held_message: { one: 'held message', many: 'held messages' },
  held_post: { one: 'held noticeboard post', many: 'held noticeboard posts' },
  care_conversation: {
    one: 'care-team conversation awaiting a reply',
    many: 'care-team conversations awaiting a reply',
  },
};

/** What the duty page shows: since when the person is on duty, the last handover note, the open items. */
export interface Handover {
  onDutySince: Date | null;
  last: (HandoverNote & { badge: string | null }) | undefined;
  open: OpenItems;
}

/** The handover of a subnet as the person opening the duty page finds it. */
export async function handoverFor(db: Db, actor: SessionUser, subnetId: string): Promise<Handover> {
  const [onDutySince, last, open] = await Promise.all([
    findOpenDutyStart(db, actor.id, subnetId),
    findLastHandover(db, subnetId),
    listOpenItems(db, subnetId),
  ]);
  return { onDutySince, last: last && { ...last, badge: badgeFor(last.role) }, open };
}
