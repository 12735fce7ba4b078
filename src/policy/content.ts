import type { Actor, ContentTarget, Decision, ListedContentStatuses, RoomTarget } from './types.js';
import { ALLOW, deny } from './types.js';
import { assertNever, isStaffOf } from './helpers.js';
import { canActInRoom } from './rooms.js';

/**
 * May the actor see one piece of content of room R: a library item, a video (and its files), a
 * chat message, a noticeboard thread or reply? ACCESS.md "Content". Everything starts from "may
 * enter R"; then, by the content's status:
 * - published and visible: everyone who may enter;
 * - draft (an unpublished item or video): staff of S only;
 * - held (waiting for a moderator) or declined: its author and staff of S;
 * - removed: nobody (it is kept for the audit only).
 * To everyone else the content does not exist (404).
 */
export function canSeeContent(actor: Actor, room: RoomTarget, content: ContentTarget, now: Date): Decision {
  const enter = canActInRoom(actor, 'enter', room, now);
  if (!enter.allowed) return enter;
  const staff = isStaffOf(actor, room.subnetId, now);
  switch (content.status) {
    case 'published':
    case 'visible':
      return ALLOW;
    case 'draft':
      return staff ? ALLOW : deny('not_published', true);
    case 'held':
    case 'declined':
      return staff || content.authorId === actor.id ? ALLOW : deny('awaiting_moderation', true);
    case 'removed':
      return deny('content_removed', true);
    default:
      return assertNever(content.status);
  }
}

/** May the actor see R's drafts (unpublished library items and videos)? Staff of S only, as above. */
export function canSeeDrafts(actor: Actor, room: RoomTarget, now: Date): Decision {
  return canSeeContent(actor, room, { status: 'draft', authorId: null }, now);
}

/**
 * The statuses a list of R's content shows the actor: `anyone` for everybody's content, `own` in
 * addition for the actor's own. Lists show no more than `canSeeContent` allows (a test holds them
 * to it): staff of S see drafts and what waits for a moderator; members see what is published or
 * visible, and their own held and declined posts.
 */
export function listedContentStatuses(actor: Actor, room: RoomTarget, now: Date): ListedContentStatuses {
  if (!canActInRoom(actor, 'enter', room, now).allowed) return { anyone: [], own: [] };
  return isStaffOf(actor, room.subnetId, now)
    ? { anyone: ['published', 'draft', 'visible', 'held'], own: [] }
    : { anyone: ['published', 'visible'], own: ['held', 'declined'] };
}

/**
 * "Staff are never held": does what the actor posts in R skip every hold (the room's
 * pre-moderation, its cover rule, a watched word's hold)? Staff of S only; everyone else's posts
 * go through the holds.
 */
export function canPostWithoutModeration(actor: Actor, room: RoomTarget, now: Date): Decision {
  const post = canActInRoom(actor, 'post', room, now);
  if (!post.allowed) return post;
  return isStaffOf(actor, room.subnetId, now) ? ALLOW : deny('role_not_permitted', false);
}
