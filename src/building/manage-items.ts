import type { Request } from 'express';
import { actorOf } from '../http/guards.js';
import {
  authorize,
  canUseAdminPages,
  canActInRoom,
  canSeeDrafts,
  type Actor,
  type RoomTarget,
} from '../policy/index.js';

/** Who is adding or editing library items and videos: a clinician in the room, or an admin from the admin pages. */
export type ManageMode = 'staff' | 'admin';

/**
 * ACCESS.md "add or edit library items and videos": clinician of S from the room; admins only
 * through the admin pages (they may not read the room itself).
 * @throws PolicyDenied
 */
export function authorizeItemManagement(req: Request, room: RoomTarget, mode: ManageMode): void {
  authorize(
    mode === 'admin'
      ? canUseAdminPages(actorOf(req), 'manage_subnets')
      : canActInRoom(actorOf(req), 'manage_items', room, new Date()),
  );
}

/** The URL prefix of each mode's editing pages. */
export const managePrefix = (mode: ManageMode): string => (mode === 'admin' ? '/admin' : '');

/** What a library or television room lets the actor do on its pages: see its drafts, and manage its items. */
export function mediaRoomAbilities(actor: Actor, room: RoomTarget, now: Date): { seeDrafts: boolean; manage: boolean } {
  return {
    seeDrafts: canSeeDrafts(actor, room, now).allowed,
    manage: canActInRoom(actor, 'manage_items', room, now).allowed,
  };
}
