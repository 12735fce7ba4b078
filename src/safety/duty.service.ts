import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { AuditContext } from '../audit/audit.service.js';
import { recordAudit } from '../audit/audit.service.js';
import type { SessionUser } from '../auth/users.repo.js';
import type { RoomDetail } from '../building/building.repo.js';
import { findMuteUntil } from '../chat/chat.repo.js';
import type { Realtime } from '../chat/realtime.js';
import { badgeFor } from '../http/page-locals.js';
import type { PostingState } from '../policy/index.js';
import { endDutyRow, listOnDuty, startDutyRow, type OnDutyRow } from './duty.repo.js';
import { describeHours, isWithinServiceHours } from './service-hours.js';

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
  return { mutedUntil: await findMuteUntil(db, roomId, actorId), readOnlyNow: cover.coverActive && cover.cover === 'read_only' };
}

/** Whether members' posts are held now because of the room's cover rule. */
export const coverHoldsPosts = (cover: RoomCover): boolean => cover.coverActive && cover.cover === 'pre_moderated';

/** Puts a staff member on duty in a subnet: alerts reach their open pages from now on. Audited. */
export async function goOnDuty(db: Db, realtime: Realtime, ctx: AuditContext, actor: SessionUser, subnetId: string): Promise<void> {
  if (await startDutyRow(db, actor.id, subnetId)) await recordAudit(db, ctx, { action: 'duty.start', targetType: 'subnet', targetId: subnetId });
  realtime.joinDuty(actor.id, subnetId);
}

/** Ends a duty with its handover note. Audited. */
export async function goOffDuty(db: Db, realtime: Realtime, ctx: AuditContext, actor: SessionUser, subnetId: string, note: string): Promise<void> {
  const id = await endDutyRow(db, actor.id, subnetId, note || null);
  if (id !== null) await recordAudit(db, ctx, { action: 'duty.end', targetType: 'subnet', targetId: subnetId, details: { duty_id: id, handover_note: note ? 'yes' : 'no' } });
  realtime.leaveDuty(actor.id, subnetId);
}
