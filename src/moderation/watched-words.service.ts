import type { Db } from '../db/knex.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import {
  BASELINE_HOLDS,
  BUILTIN_LABELS,
  CRISIS_ALERTS,
  type BaselineHold,
  type BaselineRuleKey,
  type WatchAction,
} from './watched-words.js';
import { CRISIS_PHRASES } from '../safety/crisis-phrases.js';
import {
  deleteBaselineHoldOff,
  insertBaselineHoldOff,
  listBaselineHoldsOff,
  type BaselineHoldOffRow,
} from './watched-words.repo.js';

/** A rule of the safety baseline as the watched-words page shows it. */
export interface BaselineRuleView {
  key: BaselineRuleKey;
  label: string;
  action: WatchAction;
  /** The crisis phrases (alerts only), for staff to read. */
  phrases: readonly string[];
  /** When a subnet switched this hold off: why, by whom, when. Null while it is on. */
  off: Omit<BaselineHoldOffRow, 'detector'> | null;
}

export const CRISIS_ALERTS_LABEL = 'Suicide and self-harm phrases';

/** The baseline's action for a rule: alerts on the crisis phrases, holds on contact details. */
export const baselineAction = (key: BaselineRuleKey): WatchAction => (key === CRISIS_ALERTS ? 'alert' : 'hold');

/** Every rule of the safety baseline in a subnet, with the holds it switched off. */
export async function baselineOf(db: Db, subnetId: string): Promise<BaselineRuleView[]> {
  const off = new Map((await listBaselineHoldsOff(db, subnetId)).map(({ detector, ...rest }) => [detector, rest]));
  return [
    {
      key: CRISIS_ALERTS,
      label: CRISIS_ALERTS_LABEL,
      action: 'alert',
      phrases: CRISIS_PHRASES.map((p) => p.phrase),
      off: null,
    },
    ...BASELINE_HOLDS.map((d) => ({
      key: d,
      label: BUILTIN_LABELS[d],
      action: 'hold' as const,
      phrases: [],
      off: off.get(d) ?? null,
    })),
  ];
}

/**
 * Switches a baseline hold off in a subnet with the reason given, audited in the same transaction.
 * The caller has asked the policy (`canSwitchBaselineRule`). Returns false when it was off already.
 */
export async function switchOffBaselineHold(
  db: Db,
  ctx: AuditContext,
  subnetId: string,
  detector: BaselineHold,
  reason: string,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const done = await insertBaselineHoldOff(trx, { subnetId, detector, reason, by: ctx.actorId ?? '' });
    if (done)
      await recordAudit(trx, ctx, {
        action: 'watched_word.baseline_off',
        targetType: 'subnet',
        targetId: subnetId,
        details: { detector, reason },
      });
    return done;
  });
}

/** Switches a baseline hold back on in a subnet, audited. Returns false when it was on. */
export async function switchOnBaselineHold(
  db: Db,
  ctx: AuditContext,
  subnetId: string,
  detector: BaselineHold,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const done = await deleteBaselineHoldOff(trx, subnetId, detector);
    if (done)
      await recordAudit(trx, ctx, {
        action: 'watched_word.baseline_on',
        targetType: 'subnet',
        targetId: subnetId,
        details: { detector },
      });
    return done;
  });
}
