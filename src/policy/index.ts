/**
 * The access policy: the only place that decides who may do what (shared/ACCESS.md).
 * Pure and synchronous: callers load the actor and the target, pass `now`, and act on the answer.
 */
import type { Decision, DenyReason } from './types.js';

export * from './types.js';
export { canPostMessage, canReplyToThread, canSeeRoom, canActInRoom } from './rooms.js';
export { canPostWithoutModeration, canSeeContent, canSeeDrafts, listedContentStatuses } from './content.js';
export {
  canListCareConversations,
  canWriteToCareTeam,
  canOpenCareConversation,
  canReadNotification,
} from './care-team.js';
export { canAnswerQuestionnaires, canMoveAlongPathway, canActInSubnet, canActOnMember } from './people.js';
export { canUseAdminPages } from './admin.js';
export { canSeeStaffHome } from './workspace.js';
export { canSeeOwnProgress } from './progress.js';
export { canActOnAccount } from './accounts.js';
export { canSwitchBaselineRule } from './watched-words.js';
export { canSignInWithOrganisation, canSignInWithPassword, providerUsedMultiFactor } from './sign-in.js';
export { isActive, isCurrent, isMemberRole, isSubnetStaffRole, mustUseTwoFactor } from './helpers.js';

/** Thrown by `authorize`; the HTTP and socket layers turn it into 404 (hide) or 403 and audit it. */
export class PolicyDenied extends Error {
  constructor(
    readonly reason: DenyReason,
    readonly hide: boolean,
  ) {
    super(`denied: ${reason}`);
    this.name = 'PolicyDenied';
  }
}

/**
 * Asserts a decision.
 * @throws PolicyDenied when it is a denial.
 */
export function authorize(decision: Decision): void {
  if (!decision.allowed) throw new PolicyDenied(decision.reason, decision.hide);
}
