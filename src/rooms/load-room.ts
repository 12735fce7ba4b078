import type { Db } from '../db/knex.js';
import { findRoomDetail, type RoomDetail } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import {
  authorize,
  canActInRoom,
  canSeeContent,
  type Actor,
  type ContentTarget,
  type RoomAction,
  type RoomKind,
} from '../policy/index.js';

/**
 * A room already found (or not) checked for an action: the one place that turns "find room + check
 * kind + authorise" into an answer. A room of another kind than `kind` answers exactly as a missing
 * one does (ACCESS.md: 404, identical to an id that does not exist).
 * @throws HttpError 404 (no room, or not of that kind) / PolicyDenied (hidden: 404; otherwise 403).
 */
export function roomFor(
  room: RoomDetail | undefined,
  actor: Actor,
  action: RoomAction,
  kind: RoomKind | undefined,
  now: Date,
): RoomDetail {
  if (!room || (kind !== undefined && room.kind !== kind)) throw notFound();
  authorize(canActInRoom(actor, action, room, now));
  return room;
}

/**
 * Loads room `roomId` for `action` by `actor` (optionally only a room of `kind`): one read, one
 * question to the policy.
 * @throws HttpError 404 / PolicyDenied, as `roomFor`.
 */
export async function loadRoomFor(
  db: Db,
  actor: Actor,
  roomId: string,
  action: RoomAction,
  kind?: RoomKind,
  now = new Date(),
): Promise<RoomDetail> {
  return roomFor(await findRoomDetail(db, roomId), actor, action, kind, now);
}

/**
 * Loads a room of `kind` without asking the policy: for callers that authorise another way
 * (admins manage library items and videos from the admin pages, where they may not enter the room).
 * @throws HttpError 404 when there is none, or it is another kind of room.
 */
export async function loadRoomOfKind(db: Db, roomId: string, kind: RoomKind): Promise<RoomDetail> {
  const room = await findRoomDetail(db, roomId);
  if (!room || room.kind !== kind) throw notFound();
  return room;
}

/**
 * The room holding a piece of content (a library item, a video, a file, a thread), checked for
 * seeing that content: its room must let the actor in and its status must be visible to them.
 * Found (or not) by the caller, with the content: both missing and hidden answer 404.
 * @throws HttpError 404 / PolicyDenied.
 */
export async function loadRoomForContent(
  db: Db,
  actor: Actor,
  content: (ContentTarget & { roomId: string }) | undefined,
  now: Date,
): Promise<RoomDetail> {
  const room = content ? await findRoomDetail(db, content.roomId) : undefined;
  if (!content || !room) throw notFound();
  authorize(canSeeContent(actor, room, { status: content.status, authorId: content.authorId }, now));
  return room;
}
