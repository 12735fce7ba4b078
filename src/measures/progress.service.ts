/**
 * Scores over time (issue 17 items 3 and 4): a member's own progress page, and the "Outcome
 * measures" section of the clinician's member page. Both draw the same chart and table; the
 * member gets plain words, the clinician the trajectory (reliable change, caseness) and any answer
 * that raised an alert (PHQ-9 item 9 above "Not at all"). The clinician's every view is audited.
 */
import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import type { Formatters } from '../http/format.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import { findSubnets } from '../building/building.service.js';
import { authorize, canActOnMember, canSeeOwnProgress, type MemberTarget } from '../policy/index.js';
import { optionsOf, type InstrumentDefinition } from './instrument.js';
import type { MeasureResponse } from './measure-response.js';
import { memberHistory, ownHistory } from './history.repo.js';
import { allInstruments } from './catalogue.repo.js';
import { measureChart } from './chart.js';
import { trajectoryOf, type Trajectory } from './trajectory.js';
import {
  casenessWords,
  describeForClinician,
  describeForMember,
  readingOf,
  reliableChangeWords,
  signedChange,
} from './progress-words.js';

/** The page's date writers: short under the chart's axis, long in words. */
export type DateWriters = Pick<Formatters, 'shortDate' | 'longDate'>;

interface Answered extends MeasureResponse {
  total: number;
  band: string;
}
const isAnswered = (r: MeasureResponse): r is Answered => r.status === 'answered' && r.total !== null && !!r.band;

/** Each measure the responses are of, with its responses, in the catalogue's order (unknown keys left out). */
async function byMeasure(db: Db, responses: readonly MeasureResponse[]) {
  const keys = new Set(responses.map((r) => r.instrumentKey));
  return (await allInstruments(db))
    .filter((d) => keys.has(d.key))
    .map((d) => ({ d, responses: responses.filter((r) => r.instrumentKey === d.key) }));
}

export interface OwnRow {
  answeredAt: Date;
  total: number;
  band: string;
  /** The service it was answered in; set only when the member's scores of this measure come from more than one. */
  service: string | null;
}

export interface OwnMeasure {
  key: string;
  name: string;
  measures: string;
  /** "Lower scores mean fewer problems in the last 2 weeks." */
  reading: string;
  bands: InstrumentDefinition['bands'];
  chart: string;
  rows: OwnRow[];
}

/**
 * The signed-in member's own scores, every measure they answered in any service, oldest first;
 * nobody else's (the query is by their own id, and nothing here takes another).
 * @throws PolicyDenied (hidden: 404) for staff and admins.
 */
export async function ownProgress(db: Db, actor: SessionUser, dates: DateWriters): Promise<OwnMeasure[]> {
  authorize(canSeeOwnProgress(actor));
  const responses = (await ownHistory(db, actor.id)).filter(isAnswered);
  const subnets = new Map(
    (await findSubnets(db, [...new Set(responses.map((r) => r.subnetId))])).map((s) => [s.id, s.name]),
  );
  const out: OwnMeasure[] = [];
  for (const { d, responses: rs } of await byMeasure(db, responses)) {
    const t = trajectoryOf(d, rs);
    if (!t) continue;
    const several = new Set(rs.map((r) => r.subnetId)).size > 1;
    out.push({
      key: d.key,
      name: d.name,
      measures: d.measures,
      reading: readingOf(d),
      bands: [...d.bands].sort((a, b) => a.min - b.min),
      chart: measureChart({
        id: `progress-${d.key}`,
        title: `Your ${d.name} scores over time`,
        description: describeForMember(d, t, dates.longDate),
        definition: d,
        responses: rs,
        formatDate: dates.shortDate,
      }),
      rows: rs.filter(isAnswered).map((r) => ({
        answeredAt: r.answeredAt,
        total: r.total,
        band: r.band,
        service: several ? (subnets.get(r.subnetId) ?? null) : null,
      })),
    });
  }
  return out;
}

/** An answer to an item that raises an alert at or above a threshold (PHQ-9 item 9), as the clinician's table shows it. */
export interface AlertItemAnswer {
  label: string;
  score: number;
  /** At or above the item's alert threshold (PHQ-9 item 9: above "Not at all"). */
  flagged: boolean;
}

export interface MemberRow {
  answeredAt: Date;
  total: number;
  band: string;
  /** By the definition's alert items, in order (an empty cell when unanswered). */
  alertItems: (AlertItemAnswer | null)[];
}

export interface MemberMeasure {
  key: string;
  name: string;
  measures: string;
  definition: InstrumentDefinition;
  /** Undefined when every occurrence was declined. */
  trajectory: Trajectory | undefined;
  chart: string | null;
  /** The trajectory in words, for the summary list (dates written by the page). */
  summary: TrajectorySummary | null;
  /** The columns for items that raise alerts: "Question 9", its wording, and the first answer that is flagged. */
  alertColumns: { linkId: string; heading: string; text: string; flaggedFrom: string }[];
  rows: MemberRow[];
  declined: Date[];
}

export interface MemberMeasuresSection {
  measures: MemberMeasure[];
  /** The FHIR download form; shown only when there is something answered to download. */
  can: { downloadFhir: boolean };
}

export interface TrajectorySummary {
  /** "at or above caseness (10)", or empty. */
  firstCaseness: string;
  latestCaseness: string;
  /** "−7" */
  change: string;
  /** "Reliable improvement (reliable change is 6 points or more)" */
  reliableChange: string;
}

const summaryOf = (d: InstrumentDefinition, t: Trajectory): TrajectorySummary => ({
  firstCaseness: casenessWords(d, t.first.caseness),
  latestCaseness: casenessWords(d, t.latest.caseness),
  change: signedChange(t.change),
  reliableChange: reliableChangeWords(d, t),
});

function alertColumnsOf(d: InstrumentDefinition): MemberMeasure['alertColumns'] {
  return d.items.flatMap((item, i) => {
    const threshold = item.alertAtOrAbove;
    if (threshold === undefined) return [];
    const from = optionsOf(d, item)
      .filter((o) => o.score >= threshold)
      .sort((a, b) => a.score - b.score)[0];
    return [{ linkId: item.linkId, heading: `Question ${i + 1}`, text: item.text, flaggedFrom: from?.label ?? '' }];
  });
}

function alertAnswer(d: InstrumentDefinition, r: Answered, linkId: string): AlertItemAnswer | null {
  const item = d.items.find((i) => i.linkId === linkId);
  const score = r.itemScores?.[linkId];
  if (!item || score === undefined) return null;
  const label = optionsOf(d, item).find((o) => o.score === score)?.label ?? String(score);
  return { label, score, flagged: item.alertAtOrAbove !== undefined && score >= item.alertAtOrAbove };
}

function memberMeasure(d: InstrumentDefinition, rs: readonly MeasureResponse[], dates: DateWriters): MemberMeasure {
  const t = trajectoryOf(d, rs);
  const alertColumns = alertColumnsOf(d);
  return {
    key: d.key,
    name: d.name,
    measures: d.measures,
    definition: d,
    trajectory: t,
    summary: t ? summaryOf(d, t) : null,
    chart: t
      ? measureChart({
          id: `member-${d.key}`,
          title: `${d.name} (${d.measures}) totals over time`,
          description: describeForClinician(d, t, dates.longDate),
          definition: d,
          responses: rs,
          formatDate: dates.shortDate,
        })
      : null,
    alertColumns,
    rows: rs.filter(isAnswered).map((r) => ({
      answeredAt: r.answeredAt,
      total: r.total,
      band: r.band,
      alertItems: alertColumns.map((c) => alertAnswer(d, r, c.linkId)),
    })),
    declined: rs.filter((r) => r.status === 'declined').map((r) => r.answeredAt),
  };
}

/**
 * The "Outcome measures" section of a member's page in one subnet: each measure they were offered
 * there with its chart, table and trajectory. Only this subnet's responses (no data crosses
 * services except through their own staff). A view that shows any response is audited
 * (`measures.view`, the member as target), in the same way whether the page was asked for or
 * re-shown after a form.
 * @throws PolicyDenied (hidden: 404) unless the actor may open this member's page (clinician of S).
 */
export async function memberMeasures(
  db: Db,
  ctx: AuditContext,
  actor: SessionUser,
  target: { subnetId: string; member: MemberTarget },
  now: Date,
  dates: DateWriters,
): Promise<MemberMeasuresSection> {
  const { subnetId, member } = target;
  authorize(canActOnMember(actor, 'move_member', member, subnetId, now));
  const responses = await memberHistory(db, member.id, subnetId);
  const measures = (await byMeasure(db, responses)).map(({ d, responses: rs }) => memberMeasure(d, rs, dates));
  if (responses.length > 0)
    await recordAudit(db, ctx, {
      action: 'measures.view',
      targetType: 'user',
      targetId: member.id,
      details: { subnet_id: subnetId, responses: responses.length },
    });
  return {
    measures,
    can: {
      // The export carries the member's private reference: the FHIR route asks the reveal check.
      downloadFhir:
        responses.some(isAnswered) && canActOnMember(actor, 'reveal_reference', member, subnetId, now).allowed,
    },
  };
}
