import type { RoomDetail } from '../building/building.service.js';
import type { Realtime } from '../realtime/realtime.js';
import type { Db } from '../db/knex.js';
import { crisisContactsText } from './crisis-contacts.js';
import { listOnDuty } from './duty.repo.js';

/**
 * What a person who wrote an alert phrase is told, and who was told about them. Honest by
 * construction: "the team has been told" only when a staff member of the subnet is on duty or has
 * an open page; otherwise they read, first, the crisis contacts and then that nobody has seen it yet.
 */

/** Who received the alert at once: staff on duty, staff online (off duty), or nobody. */
export const TOLD = ['duty', 'online', 'nobody'] as const;
export type Told = (typeof TOLD)[number];

/** What the sender reads about who was told (the page shows the crisis contacts with it). */
export const SUPPORT_STATEMENT: Record<Told, string> = {
  duty: 'It sounds like things are really hard right now. You are not alone: the team on duty has been told and someone will look at your message.',
  online:
    'It sounds like things are really hard right now. You are not alone: a member of the team who is online has been told and someone will look at your message.',
  nobody:
    'Nobody from the team is on duty or online right now, so nobody has seen your message yet. The team will see it when they are next here. If you need help now, use the numbers above.',
};

/**
 * The supportive words an alert's sender sees as plain text, saying truthfully who has been told.
 * When nobody was told, the crisis contacts (UK defaults, then the subnet's own) come first.
 */
export function supportText(room: Pick<RoomDetail, 'crisisContacts'>, told: Told): string {
  const contacts = crisisContactsText(room.crisisContacts);
  return told === 'nobody' ? `${contacts} ${SUPPORT_STATEMENT.nobody}` : `${SUPPORT_STATEMENT[told]} ${contacts}`;
}

/**
 * Who an alert reached: staff of the subnet on duty (other than the sender), else staff with an
 * open socket (on duty or not, other than the sender), else nobody. When the live check fails
 * (another node does not answer) it says nobody: the sender then reads the crisis contacts first.
 */
export async function whoWasTold(
  realtime: Realtime,
  subnetId: string,
  onDutyIds: readonly string[],
  senderId: string,
): Promise<Told> {
  if (onDutyIds.some((id) => id !== senderId)) return 'duty';
  const online = await realtime.staffOnline(subnetId).catch(() => [] as string[]);
  return online.some((id) => id !== senderId) ? 'online' : 'nobody';
}

/** Who an alert raised outside a room (a measure answer) reached: the subnet's duty, then online staff. */
export async function whoWasToldInSubnet(
  db: Db,
  realtime: Realtime,
  subnetId: string,
  senderId: string,
): Promise<Told> {
  const onDuty = await listOnDuty(db, subnetId).catch(() => []);
  return whoWasTold(
    realtime,
    subnetId,
    onDuty.map((d) => d.userId),
    senderId,
  );
}

/** What an alert carries to staff pages: ids, the room's name and its link; never the message text. */
export interface AlertPayload {
  subnetId: string;
  roomId: string;
  roomName: string;
  link: string;
  messageId?: number;
  nickname: string;
}

/**
 * Sends a watched-word alert at once to every staff member of the room's subnet who is on duty or
 * has an open page (in that room or elsewhere), whatever their duty. Call only after the commit.
 */
export function announceAlert(
  realtime: Realtime,
  room: Pick<RoomDetail, 'id' | 'subnetId' | 'name'>,
  about: { messageId?: number; nickname: string },
): void {
  const payload: AlertPayload = {
    subnetId: room.subnetId,
    roomId: room.id,
    roomName: room.name,
    link: `/rooms/${room.id}`,
    ...about,
  };
  realtime.emitToStaffAndDuty(room.subnetId, 'alert:new', payload);
}

/**
 * What a measure alert carries to staff pages: the subnet, the member's nickname and the link to
 * their member page; never which answer was given.
 */
export interface MeasureAlertPayload {
  subnetId: string;
  about: 'measure';
  nickname: string;
  link: string;
}

/**
 * Sends an alert on a member's answer to a measure (PHQ-9 item 9) exactly as a watched-word alert
 * travels: at once to every staff member of the subnet who is on duty or has an open page. Call
 * only after the commit.
 */
export function announceMeasureAlert(
  realtime: Realtime,
  member: { subnetId: string; userId: string; nickname: string },
): void {
  const payload: MeasureAlertPayload = {
    subnetId: member.subnetId,
    about: 'measure',
    nickname: member.nickname,
    link: `/subnets/${member.subnetId}/members/${member.userId}`,
  };
  realtime.emitToStaffAndDuty(member.subnetId, 'alert:new', payload);
}
