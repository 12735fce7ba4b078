import type { Actor } from '../policy/index.js';

/**
 * The signed-in person: the policy's Actor plus what the header shows. Loaded once per request
 * (auth/users.repo.ts) and read by every layer, so it lives apart from any feature.
 */
export interface SessionUser extends Actor {
  username: string;
  nickname: string;
  displayName: string | null;
  lastSeenAt: Date | null;
  twoFactorEnabled: boolean;
  /**
   * The rooms of their unread notifications (null: not about a room), newest 100: read with the
   * person in the same query, for the unread count in every page's header.
   */
  unreadRoomIds: (string | null)[];
}
