import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import type { SessionUser } from '../people/person.js';
import { listAllSubnets, type SubnetSummary } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { canActInSubnet } from '../policy/index.js';
import { DEFAULT_HOURS } from '../safety/service-hours.js';
import {
  careTeamMessages,
  helpfulnessAnswers,
  keyCounts,
  measureScores,
  memberActivity,
  moderationResponseTimes,
  outcomeInputs,
  type Range,
} from './evaluation.repo.js';
import {
  activeBy,
  agreement,
  careTeamResponseTimes,
  heatmap,
  monthOf,
  outOfHours,
  summariseResponses,
  weekOf,
  type ResponseSummary,
} from './metrics.js';
import { outcomesByEngagement, rateWithInterval, type GroupOutcome } from './outcomes.js';
import { reliableChangeByEngagement, type ReliableChangeFigures } from './reliable-change.js';

export interface DashboardQuery {
  subnet: string;
  from: string; // YYYY-MM-DD
  to: string; // YYYY-MM-DD, inclusive
}

export interface Dashboard {
  subnets: SubnetSummary[];
  scope: SubnetSummary[];
  query: DashboardQuery;
  weekly: { period: string; members: number }[];
  monthly: { period: string; members: number }[];
  outOfHours: { outOfHours: number; total: number };
  heatmap: number[][];
  responses: { alerts: ResponseSummary; reports: ResponseSummary; careTeam: ResponseSummary };
  survey: { agree: number; total: number };
  keys: { issued: number; redeemed: number };
  outcomes: (GroupOutcome & {
    rates: Record<'bedDays' | 'readmissions' | 'relapses', ReturnType<typeof rateWithInterval>>;
  })[];
  reliableChange: ReliableChangeFigures;
}

/** The subnets whose evaluation this person may see: an admin all, a clinician their own. */
export async function viewableSubnets(db: Db, actor: SessionUser, now: Date): Promise<SubnetSummary[]> {
  return (await listAllSubnets(db)).filter((s) => canActInSubnet(actor, 'view_evaluation', s, now).allowed);
}

/**
 * Computes the dashboard for one subnet or every subnet the person may see, over a date range
 * read on the service's clock.
 * @throws HttpError 404 when the person may see no evaluation, or not that subnet's.
 */
export async function buildDashboard(
  db: Db,
  config: Config,
  actor: SessionUser,
  query: DashboardQuery,
  now: Date,
): Promise<Dashboard> {
  const subnets = await viewableSubnets(db, actor, now);
  const scope = query.subnet ? subnets.filter((s) => s.id === query.subnet) : subnets;
  if (scope.length === 0) throw notFound();
  const ids = scope.map((s) => s.id);
  const tz = config.safety.timeZone;
  const range: Range = { from: zonedMidnight(query.from, tz), to: zonedMidnight(nextDay(query.to), tz) };
  const [activity, moderation, care, likert, keys, inputs, scores] = await Promise.all([
    memberActivity(db, ids, range),
    moderationResponseTimes(db, ids, range),
    careTeamMessages(db, ids, range),
    helpfulnessAnswers(db, ids, range),
    keyCounts(db, ids, range),
    outcomeInputs(db, ids),
    measureScores(db, ids, range),
  ]);
  // One subnet: its own hours; several: the default weekday hours.
  const hours = scope.length === 1 && scope[0] ? scope[0].hours : DEFAULT_HOURS;
  const groups = outcomesByEngagement(activity, inputs.spans, inputs.events, query.from, query.to, tz);
  return {
    subnets,
    scope,
    query,
    weekly: activeBy(activity, (d) => weekOf(d, tz)),
    monthly: activeBy(activity, (d) => monthOf(d, tz)),
    outOfHours: outOfHours(activity, hours, tz, config.safety.bankHolidays),
    heatmap: heatmap(activity, tz),
    responses: {
      alerts: summariseResponses(moderation.alerts),
      reports: summariseResponses(moderation.reports),
      careTeam: summariseResponses([...care.values()].flatMap(careTeamResponseTimes)),
    },
    survey: agreement(likert),
    keys,
    outcomes: groups.map((g) => ({
      ...g,
      rates: {
        bedDays: rateWithInterval(g.bedDays, g.memberMonths),
        readmissions: rateWithInterval(g.readmissions, g.memberMonths),
        relapses: rateWithInterval(g.relapses, g.memberMonths),
      },
    })),
    reliableChange: reliableChangeByEngagement(scores, activity, tz),
  };
}

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The instant a local calendar day starts in a time zone (midnight on the service's clock). */
export function zonedMidnight(date: string, timeZone: string): Date {
  const guess = new Date(`${date}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
  }).formatToParts(guess);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const day = Number(parts.find((p) => p.type === 'day')?.value ?? guess.getUTCDate());
  // Offset of the zone at that moment: local minus UTC (handles zones ahead of and behind UTC).
  let offset = hour * 60 + minute;
  if (day !== guess.getUTCDate()) offset -= 24 * 60;
  return new Date(guess.getTime() - offset * 60_000);
}
