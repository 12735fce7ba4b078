import type { Actor, BaselineRuleTarget, Decision, SubnetTarget } from './types.js';
import { ALLOW, deny } from './types.js';
import { canActInSubnet } from './people.js';

/**
 * Switching a rule of the safety baseline off in subnet S, or back on. ACCESS.md "watched words
 * of S" (clinician of S, or an admin), and the hazard log's "a new service starts without crisis
 * alerting": a hold on contact details may be switched off, with a reason the caller records; an
 * alert on suicide and self-harm phrases is never switched off, by anyone (403: the page exists,
 * the action does not).
 */
export function canSwitchBaselineRule(
  actor: Actor,
  subnet: SubnetTarget,
  rule: BaselineRuleTarget,
  now: Date,
): Decision {
  const manage = canActInSubnet(actor, 'manage_watched_words', subnet, now);
  if (!manage.allowed) return manage;
  return rule.action === 'hold' ? ALLOW : deny('always_on', false);
}
