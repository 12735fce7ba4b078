import type { Actor, Decision, PostingState, RoomAction, RoomTarget } from './types.js';
import { ALLOW, deny } from './types.js';
import {
  cohortIn,
  currentMembership,
  hasEndedMembership,
  isActive,
  isMemberRole,
  isStaffOf,
  assertNever,
} from './helpers.js';

/**
 * May the actor see (be shown in a list) room R? ACCESS.md "Rooms", first row:
 * staff of S, or a member of S whose cohort is in R's audience. Everyone else: hidden.
 */
export function canSeeRoom(actor: Actor, room: RoomTarget, now: Date): Decision {
  if (!isActive(actor)) return deny('account_inactive', true);
  if (!currentMembership(actor, room.subnetId, now)) {
    return deny(hasEndedMembership(actor, room.subnetId, now) ? 'membership_ended' : 'not_in_subnet', true);
  }
  if (isStaffOf(actor, room.subnetId, now)) return ALLOW;
  if (!isMemberRole(actor.role)) return deny('role_not_permitted', true);
  const cohort = cohortIn(actor, room.subnetId, now);
  if (cohort === null || cohort === undefined || !room.audienceCohortIds.includes(cohort)) {
    return deny('not_in_cohort', true);
  }
  return ALLOW;
}

/**
 * Decides a room action. Everything starts from "can see": what is hidden stays hidden (404).
 * Staff of S may do everything but adding library items and videos, which is for clinicians;
 * members in the audience may enter, post and report. What content of R they see (drafts, held
 * and removed posts) is content.ts's.
 */
export function canActInRoom(actor: Actor, action: RoomAction, room: RoomTarget, now: Date): Decision {
  const seen = canSeeRoom(actor, room, now);
  if (!seen.allowed) return seen;
  const staff = isStaffOf(actor, room.subnetId, now);
  switch (action) {
    case 'see':
    case 'enter':
    case 'post':
    case 'report':
      return ALLOW;
    case 'moderate':
      return staff ? ALLOW : deny('role_not_permitted', false);
    case 'manage_items':
      return staff && actor.role === 'clinician' ? ALLOW : deny('role_not_permitted', false);
    default:
      return assertNever(action);
  }
}

/**
 * May the actor post in R now? ACCESS.md "post": yes, unless muted in R (until the mute ends) or R
 * is read-only now (its cover rule while no staff of S is on duty). Staff are never held back
 * (content.ts `canPostWithoutModeration`).
 */
export function canPostMessage(actor: Actor, room: RoomTarget, state: PostingState, now: Date): Decision {
  const base = canActInRoom(actor, 'post', room, now);
  if (!base.allowed || isStaffOf(actor, room.subnetId, now)) return base;
  if (state.mutedUntil !== null && state.mutedUntil.getTime() > now.getTime()) return deny('muted', false);
  if (state.readOnlyNow) return deny('read_only_now', false);
  return ALLOW;
}

/**
 * May the actor add to a noticeboard thread (reply)? As "post", and a locked thread takes no more
 * replies from members (staff of S may still answer).
 */
export function canReplyToThread(
  actor: Actor,
  room: RoomTarget,
  thread: { locked: boolean },
  state: PostingState,
  now: Date,
): Decision {
  const base = canPostMessage(actor, room, state, now);
  if (!base.allowed) return base;
  if (thread.locked && !isStaffOf(actor, room.subnetId, now)) return deny('thread_locked', false);
  return ALLOW;
}
