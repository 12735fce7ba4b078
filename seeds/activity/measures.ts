import { DAY } from './clock.js';
import type { Person, SubnetInfo, World } from './world.js';
import { score, type InstrumentDefinition } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import { classify, countOutcomes, pairScores, type ScorePoint } from '../../src/measures/reliable-change.js';

// The demo's story, not a finding: the services that treat people ask PHQ-9 and GAD-7 at joining,
// then every 4 weeks (a real deployment's clinicians choose their own schedule). Most members
// improve somewhat, the more engaged more; a few get worse; a few decline or leave one unanswered.
// Item 9 (thoughts of being better off dead or of self-harm) is always "Not at all": an answer
// above it raises an alert, and the demo does not invent alerts nobody acknowledged.
export const MEASURED_SUBNETS = ['eating-disorders', 'first-step', 'perinatal', 'veterans-trauma'];
const REPEAT_DAYS = 28;
const MEASURES = [PHQ_9, GAD_7] as const;

export interface PlannedSchedule {
  subnet_id: string;
  instrument_key: string;
  first_after_days: number;
  repeat_every_days: number;
  updated_by: string | null;
}

export interface PlannedMeasureResponse {
  user_id: string;
  subnet_id: string;
  instrument_key: string;
  instrument_version: string;
  due_at: Date;
  status: 'answered' | 'declined';
  item_scores: string | null;
  total: number | null;
  band: string | null;
  answered_at: Date;
}

/** Reliable change over everything generated, as the dashboard must show it for the whole period. */
export interface MeasureTotals {
  scored: number;
  paired: number;
  improved: number;
  atCaseness: number;
  recovered: number;
  deteriorated: number;
}

/** How a member's PHQ-9 moves: where it starts and how many points it falls every 4 weeks (negative: rises). */
interface Story {
  phq: number;
  gad: number;
  fall: number;
}

function storyOf(world: World, member: Person): Story {
  const { rng } = world;
  if (member.cohortSlug === 'recovered') return { phq: rng.int(2, 8), gad: rng.int(1, 6), fall: rng.int(-1, 1) * 0.5 };
  const phq = rng.int(8, 19);
  const gad = Math.max(3, Math.min(18, Math.round(phq * 0.8) + rng.int(-3, 3)));
  if (rng.chance(0.1)) return { phq: rng.int(5, 12), gad: rng.int(4, 10), fall: -rng.int(4, 6) };
  return { phq, gad, fall: 0.5 + 4 * member.engagement + 2.5 * rng.next() };
}

/** Item answers that add up to `total`, spread at random; PHQ-9 item 9 stays at "Not at all". */
function itemsFor(world: World, d: InstrumentDefinition, total: number): Record<string, number> {
  const spread = d.items.filter((i) => i.scored && i.alertAtOrAbove === undefined).map((i) => i.linkId);
  const items: Record<string, number> = Object.fromEntries(d.items.filter((i) => i.scored).map((i) => [i.linkId, 0]));
  for (let left = Math.min(total, spread.length * 3); left > 0;) {
    const id = world.rng.pick(spread);
    if ((items[id] ?? 0) >= 3) continue;
    items[id] = (items[id] ?? 0) + 1;
    left -= 1;
  }
  const difficulty = d.items.find((i) => !i.scored);
  if (difficulty) items[difficulty.linkId] = total < 5 ? 0 : total < 10 ? 1 : total < 20 ? 2 : 3;
  return items;
}

function answer(world: World, d: InstrumentDefinition, total: number) {
  const items = itemsFor(world, d, Math.max(0, Math.round(total)));
  const s = score(d, items);
  return { item_scores: JSON.stringify(items), total: s.total, band: s.band };
}

/** The demo schedules: PHQ-9 and GAD-7 at joining, then every 4 weeks, in the services that treat people. */
export function generateSchedules(world: World): PlannedSchedule[] {
  return world.subnets
    .filter((s) => MEASURED_SUBNETS.includes(s.slug))
    .flatMap((s) =>
      MEASURES.map((d) => ({
        subnet_id: s.id,
        instrument_key: d.key,
        first_after_days: 0,
        repeat_every_days: REPEAT_DAYS,
        updated_by: s.staff.find((p) => p.role === 'clinician')?.id ?? null,
      })),
    );
}

/** Each member's PHQ-9 and GAD-7 when due (joining, then every 4 weeks) within the period. */
export function generateMeasureResponses(world: World, startedAt: Map<string, Date>): PlannedMeasureResponse[] {
  const out: PlannedMeasureResponse[] = [];
  for (const subnet of world.subnets.filter((s) => MEASURED_SUBNETS.includes(s.slug)))
    for (const member of subnet.members) {
      const joined = startedAt.get(`${member.id}|${subnet.id}`);
      if (joined) out.push(...memberResponses(world, subnet, member, joined.getTime()));
    }
  return out;
}

function memberResponses(world: World, subnet: SubnetInfo, member: Person, joined: number): PlannedMeasureResponse[] {
  const { rng, clock } = world;
  const story = storyOf(world, member);
  const periodStart = clock.at(clock.days, 0).getTime();
  const out: PlannedMeasureResponse[] = [];
  let first: number | null = null;
  for (let due = joined; due < clock.now.getTime(); due += REPEAT_DAYS * DAY) {
    if (due < periodStart) continue;
    first ??= due;
    const at = clock.after(new Date(due), rng.int(20, 3 * 1440));
    // Still to answer, or left unanswered ("later", then not at all).
    if (!at || rng.chance(0.08)) continue;
    const declined = rng.chance(0.05);
    const months = (due - first) / (REPEAT_DAYS * DAY);
    const noise = rng.int(-2, 2);
    for (const d of MEASURES) {
      const start = d === PHQ_9 ? story.phq : story.gad;
      const fall = d === PHQ_9 ? story.fall : story.fall * 0.7;
      const total = Math.min(d.total.max, Math.max(0, start - fall * months + noise));
      out.push({
        user_id: member.id,
        subnet_id: subnet.id,
        instrument_key: d.key,
        instrument_version: d.version,
        due_at: new Date(due),
        status: declined ? 'declined' : 'answered',
        ...(declined ? { item_scores: null, total: null, band: null } : answer(world, d, total)),
        answered_at: at,
      });
    }
  }
  return out;
}

/** Reliable change over the generated answers, with the pure rules the dashboard uses. */
export function measureTotals(responses: readonly PlannedMeasureResponse[]): MeasureTotals {
  const points: ScorePoint[] = responses
    .filter((r) => r.status === 'answered' && r.total !== null)
    .map((r) => ({
      userId: r.user_id,
      subnetId: r.subnet_id,
      instrumentKey: r.instrument_key,
      total: r.total ?? 0,
      answeredAt: r.answered_at,
    }));
  const { paired, scoredOnce } = pairScores(points);
  return { scored: paired.length + scoredOnce, ...countOutcomes(paired.map((m) => classify(m.pairs))) };
}
