import { createHash } from 'node:crypto';
import { DAY } from './clock.js';
import type { World, SubnetInfo } from './world.js';
import { SURVEY_COMMENTS } from './text.js';

const KEY_DAYS = 14;
const FIRST_AFTER_DAYS = 28;
const REPEAT_DAYS = 91;
// "This network has helped my recovery", 1 to 5, dealt from a shuffled deck of twenty: 16 agree or
// strongly agree (80%, as SHaRON's own survey found), 2 neutral, 2 disagree.
const LIKERT_DECK = [5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 2, 1];

export interface PlannedKey {
  id: string;
  code_hash: string;
  code_hint: string;
  subnet_id: string;
  cohort_id: string;
  role: string;
  private_reference: string | null;
  issued_by: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
  redeemed_at: Date | null;
  redeemed_by: string | null;
}

export interface PlannedResponse {
  row: {
    questionnaire_id: string;
    user_id: string;
    subnet_id: string;
    due_at: Date;
    status: 'answered' | 'declined';
    created_at: Date;
  };
  likert: number | null;
  comment: string | null;
}

/** A key for every member who joined in the period (redeemed when they joined), and a few still open, expired or revoked. */
export function generateKeys(world: World, startedAt: Map<string, Date>): PlannedKey[] {
  const { rng, clock } = world;
  const out: PlannedKey[] = [];
  const key = (
    subnet: SubnetInfo,
    cohortSlug: string,
    role: string,
    reference: string | null,
    created: Date,
  ): PlannedKey => {
    const code = rng.uuid();
    return {
      id: rng.uuid(),
      code_hash: createHash('sha256').update(`fictional demo key ${code}`).digest('hex'),
      code_hint: code.slice(-4).toUpperCase(),
      subnet_id: subnet.id,
      cohort_id: subnet.cohorts.get(cohortSlug) ?? '',
      role,
      private_reference: reference,
      issued_by: (subnet.staff.find((s) => s.role === 'clinician') ?? rng.pick(subnet.staff)).id,
      created_at: created,
      expires_at: new Date(created.getTime() + KEY_DAYS * DAY),
      revoked_at: null,
      revoked_by: null,
      redeemed_at: null,
      redeemed_by: null,
    };
  };
  for (const subnet of world.subnets) {
    for (const m of subnet.members.filter((p) => p.joinedDay < clock.days && p.cohortSlug)) {
      const joined = startedAt.get(`${m.id}|${subnet.id}`);
      if (!joined || !m.cohortSlug) continue;
      const issuedDay = Math.min(clock.dayOf(joined) + rng.int(1, 10), clock.days - 1);
      const k = key(subnet, m.cohortSlug, m.role, m.privateReference, clock.at(issuedDay, clock.workingMinute(rng)));
      out.push({ ...k, redeemed_at: joined > k.created_at ? joined : k.created_at, redeemed_by: m.id });
    }
    const cohorts = [...subnet.cohorts.keys()];
    const role = subnet.members[0]?.role ?? 'patient';
    for (const [day, state] of [
      [rng.int(0, 6), 'open'],
      [rng.int(30, 60), 'expired'],
      [rng.int(15, 40), 'revoked'],
    ] as const) {
      const k = key(subnet, rng.pick(cohorts), role, null, clock.at(day, clock.workingMinute(rng)));
      if (state === 'revoked')
        Object.assign(k, {
          revoked_at: clock.after(k.created_at, rng.int(60, 2000)) ?? k.created_at,
          revoked_by: k.issued_by,
        });
      out.push(k);
    }
  }
  return out;
}

/** Helpfulness survey answers when each was due (4 weeks after joining, then every 13 weeks), in the period. */
export function generateSurveys(world: World, startedAt: Map<string, Date>): PlannedResponse[] {
  const { rng, clock } = world;
  const q = world.helpfulness;
  const out: PlannedResponse[] = [];
  if (!q) return out;
  const deck: number[] = [];
  const deal = (): number => {
    if (deck.length === 0)
      deck.push(
        ...LIKERT_DECK.map((v) => ({ v, k: rng.next() }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.v),
      );
    return deck.pop() ?? 4;
  };
  const periodStart = clock.at(clock.days, 0).getTime();
  for (const subnet of world.subnets)
    for (const m of subnet.members) {
      const joined = startedAt.get(`${m.id}|${subnet.id}`)?.getTime();
      if (joined === undefined) continue;
      for (let due = joined + FIRST_AFTER_DAYS * DAY; due < clock.now.getTime(); due += REPEAT_DAYS * DAY) {
        if (due < periodStart || rng.chance(0.12)) continue;
        const at = clock.after(new Date(due), rng.int(30, 4 * 1440));
        if (!at) continue;
        const answered = rng.chance(0.9);
        const row = {
          questionnaire_id: q.id,
          user_id: m.id,
          subnet_id: subnet.id,
          due_at: new Date(due),
          status: answered ? ('answered' as const) : ('declined' as const),
          created_at: at,
        };
        out.push({
          row,
          likert: answered ? deal() : null,
          comment: answered && rng.chance(0.2) ? rng.pick(SURVEY_COMMENTS) : null,
        });
      }
    }
  return out;
}
