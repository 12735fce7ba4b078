import type { Knex } from 'knex';
import { Clock } from './clock.js';
import { Rng } from './prng.js';
import { Tally, type ActivityTotals } from './totals.js';
import { loadBuilding, type World } from './world.js';
import { generatePeople } from './people.js';
import { addWaiting, generateChat } from './chat.js';
import { generateThreads } from './board.js';
import { generateCareEvents, generateCareTeam } from './care.js';
import { generateKeys, generateSurveys } from './keys-surveys.js';
import {
  insertBatched,
  insertCare,
  insertKeysAndSurveys,
  insertMeasures,
  insertMessages,
  insertThreads,
} from './insert.js';
import { generateMeasureResponses, generateSchedules } from './measures.js';

export type { ActivityTotals } from './totals.js';

/** The demo's fixed seed: the same activity on every machine. */
export const DEMO_ACTIVITY_SEED = 20_150_401;
export const DEMO_ACTIVITY_WEEKS = 12;

export interface ActivityOptions {
  seed?: number;
  /** The activity ends here (default: the current time). */
  now?: Date;
  weeks?: number;
}

/**
 * Generates weeks of plainly fictional activity ending `now` on top of the demo building and
 * people (seeds/demo.ts), in one transaction: members, living-room conversations at all hours,
 * noticeboard threads with staff replies, care-team exchanges, alerts and their acknowledgements,
 * held messages, reports, keys, helpfulness survey answers, care events, and PHQ-9/GAD-7 schedules
 * and answers. Deterministic for a seed and `now`. Returns what it created.
 * @throws when the demo building is not there (run seedDemo first) or a row is refused.
 */
export async function seedActivity(db: Knex, options: ActivityOptions = {}): Promise<ActivityTotals> {
  const clock = new Clock(options.now ?? new Date(), (options.weeks ?? DEMO_ACTIVITY_WEEKS) * 7);
  const rng = new Rng(options.seed ?? DEMO_ACTIVITY_SEED);
  const tally = new Tally();
  return db.transaction(async (trx) => {
    const subnets = await loadBuilding(trx, rng, clock.days);
    if (subnets.length === 0) throw new Error('The demo activity needs the demo building: run the demo seed first.');
    const world: World = { clock, rng, tally, subnets, helpfulness: await helpfulness(trx) };
    const demoMembers = subnets.flatMap((s) => s.members.map((m) => ({ ...m, subnetId: s.id })));
    const taken = new Set(
      (await trx('users').whereNotNull('nickname_skeleton').pluck('nickname_skeleton')) as string[],
    );
    const people = generatePeople(world, taken);
    await insertBatched(trx, 'users', people.users);
    await insertBatched(trx, 'memberships', people.memberships);
    const startedAt = new Map(people.memberships.map((m) => [`${m.user_id}|${m.subnet_id}`, m.started_at]));
    // The demo's own members (anna, bella, carer) joined ten weeks ago, so their story has a past.
    for (const m of demoMembers) {
      const at = clock.at(m.joinedDay, clock.workingMinute(rng));
      startedAt.set(`${m.id}|${m.subnetId}`, at);
      await trx('memberships').where({ user_id: m.id, subnet_id: m.subnetId }).update({ started_at: at });
    }
    const chat = generateChat(world);
    addWaiting(world, chat);
    await insertMessages(trx, world, chat);
    await insertThreads(trx, world, generateThreads(world));
    await insertCare(trx, world, generateCareTeam(world), generateCareEvents(world));
    await insertKeysAndSurveys(trx, world, generateKeys(world, startedAt), generateSurveys(world, startedAt));
    await insertMeasures(trx, world, generateSchedules(world), generateMeasureResponses(world, startedAt));
    await lastSeen(trx);
    return tally.totals();
  });
}

async function helpfulness(trx: Knex.Transaction): Promise<World['helpfulness']> {
  const q = await trx('questionnaires').where({ slug: 'helpfulness' }).first('id');
  if (!q) return null;
  const questions = await trx('questions').where({ questionnaire_id: q.id }).orderBy('position').select('id', 'kind');
  const likert = questions.find((x) => x.kind === 'likert');
  if (!likert) return null;
  return { id: q.id, likertId: likert.id, textId: questions.find((x) => x.kind === 'free_text')?.id ?? null };
}

/** Members were last seen when they last wrote (what a clinician reads on the member's page). */
async function lastSeen(trx: Knex.Transaction): Promise<void> {
  await trx.raw(
    `UPDATE users u SET last_seen_at = x.at
       FROM (SELECT author_id, max(created_at) AS at FROM messages GROUP BY author_id) x
      WHERE x.author_id = u.id AND u.last_seen_at IS NULL`,
  );
}
