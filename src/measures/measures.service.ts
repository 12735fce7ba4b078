import type { Db } from '../db/knex.js';
import type { SessionUser } from '../people/person.js';
import type { Realtime } from '../realtime/realtime.js';
import { findSubnet } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { raiseMeasureAlert } from '../moderation/moderation.service.js';
import { whoWasToldInSubnet, type Told } from '../safety/support.js';
import { canAnswerQuestionnaires, isCurrent } from '../policy/index.js';
// The survey's schedule rule is a pure function (no I/O): the measures use the same one.
import { dueOccurrence } from '../surveys/schedule.js';
import { findInstrument } from './catalogue.repo.js';
import { InstrumentDefinition, optionsOf, score, type ItemScores } from './instrument.js';
import { BUILT_IN_INSTRUMENTS } from './instruments/index.js';
import { toMeasureResponse, type MeasureResponse } from './measure-response.js';
import {
  findOwnResponse,
  findRecentAnswer,
  findResponseFor,
  insertMeasureResponse,
  measureCandidates,
  snoozeMeasure,
  type MeasureCandidate,
} from './measures.repo.js';

/** A measure a member is due to answer now in one of their subnets. */
export interface DueMeasure {
  instrument: InstrumentDefinition;
  subnetId: string;
  dueAt: Date;
}

/** "Ask me later" puts a measure off for this long, as the helpfulness survey does. */
export const SNOOZE_DAYS = 3;

/** The definition a candidate offers: the built-in one, or the stored one parsed again (a broken row offers nothing). */
function instrumentOf(c: MeasureCandidate): InstrumentDefinition | undefined {
  if (c.storedDefinition === null) return BUILT_IN_INSTRUMENTS.find((d) => d.key === c.schedule.instrumentKey);
  const parsed = InstrumentDefinition.safeParse(c.storedDefinition);
  return parsed.success && parsed.data.key === c.schedule.instrumentKey ? parsed.data : undefined;
}

/**
 * The measures a member is due to answer now, in each subnet they belong to as a member (staff are
 * never offered them), on each subnet's schedule. One round trip (the lobby asks on every view).
 */
export async function dueMeasures(db: Db, actor: SessionUser, now: Date): Promise<DueMeasure[]> {
  if (!actor.memberships.some((m) => canAnswerQuestionnaires(actor, m.subnetId, now).allowed)) return [];
  const due: DueMeasure[] = [];
  for (const c of await measureCandidates(db, actor.id)) {
    if (!canAnswerQuestionnaires(actor, c.subnetId, now).allowed) continue;
    if (!isCurrent({ subnetId: c.subnetId, cohortId: null, endsAt: c.membership.endsAt }, now)) continue;
    const dueAt = dueOccurrence(c.membership.startedAt, c.schedule, c.lastDueAt, c.snoozedUntil, now);
    const instrument = dueAt && instrumentOf(c);
    if (dueAt && instrument) due.push({ instrument, subnetId: c.subnetId, dueAt });
  }
  return due;
}

/**
 * One measure a member is due to answer now in a subnet.
 * @throws HttpError 404 when it is not theirs to answer now (not due, answered, put off, not a member).
 */
export async function dueMeasure(
  db: Db,
  actor: SessionUser,
  key: string,
  subnetId: string,
  now: Date,
): Promise<DueMeasure> {
  const found = (await dueMeasures(db, actor, now)).find((d) => d.instrument.key === key && d.subnetId === subnetId);
  if (!found) throw notFound();
  return found;
}

/** The fixed label an alert carries: "PHQ-9 item 9: Several days" (never anything the member wrote). */
export function alertLabel(d: InstrumentDefinition, answers: ItemScores, linkIds: readonly string[]): string {
  const parts = linkIds.map((linkId) => {
    const item = d.items.find((i) => i.linkId === linkId);
    const option = item && optionsOf(d, item).find((o) => o.score === answers[linkId]);
    return `${d.name} item ${linkId}: ${option?.label ?? answers[linkId]}`;
  });
  const label = parts.join('; ');
  return label.length > 100 ? `${label.slice(0, 99)}…` : label;
}

/**
 * Stores a member's answers (item scores, total and band by the instrument's published scoring) and,
 * when an answer is at or above its item's alert threshold (PHQ-9 item 9 above "Not at all"), the
 * alert to the subnet's care team, in ONE transaction: either both are stored or neither is. Staff
 * hear of the alert once it commits (src/moderation raiseMeasureAlert). A form sent twice stores
 * one response and one alert. Returns the response's id and whether it raised an alert.
 */
export async function answerMeasure(
  db: Db,
  realtime: Realtime,
  actor: SessionUser,
  due: DueMeasure,
  answers: ItemScores,
): Promise<{ responseId: string; alerted: boolean; told: Told | null }> {
  const scored = score(due.instrument, answers);
  const key = { userId: actor.id, subnetId: due.subnetId, instrumentKey: due.instrument.key, dueAt: due.dueAt };
  const stored = await db.transaction(async (trx) => {
    const id = await insertMeasureResponse(trx, {
      ...key,
      instrumentVersion: due.instrument.version,
      status: 'answered',
      itemScores: answers,
      total: scored.total,
      band: scored.band,
    });
    if (id === null) return { responseId: (await findResponseFor(trx, key)) ?? '', alerted: scored.alerts.length > 0 };
    if (scored.alerts.length > 0) {
      const matched = alertLabel(due.instrument, answers, scored.alerts);
      await raiseMeasureAlert(trx, { subnetId: due.subnetId, responseId: id, matched }, realtime);
    }
    return { responseId: id, alerted: scored.alerts.length > 0 };
  });
  // After the commit, as for a watched word: the member is told truthfully who has been told.
  const told = stored.alerted ? await whoWasToldInSubnet(db, realtime, due.subnetId, actor.id) : null;
  return { ...stored, told };
}

/**
 * The member's answer to this measure in this subnet stored in the last `withinMs` (a form sent
 * twice, or from a second tab), to land on instead of "not found".
 */
export async function recentAnswer(
  db: Db,
  actor: SessionUser,
  instrumentKey: string,
  subnetId: string,
  now: Date,
  withinMs = 30 * 60_000,
): Promise<string | null> {
  return findRecentAnswer(db, { userId: actor.id, subnetId, instrumentKey }, new Date(now.getTime() - withinMs));
}

/** "No thanks": a declined response for this occurrence (not asked again until the next one). */
export async function declineMeasure(db: Db, actor: SessionUser, due: DueMeasure): Promise<void> {
  await insertMeasureResponse(db, {
    userId: actor.id,
    subnetId: due.subnetId,
    instrumentKey: due.instrument.key,
    instrumentVersion: due.instrument.version,
    dueAt: due.dueAt,
    status: 'declined',
  });
}

/** "Ask me later": offered again in SNOOZE_DAYS days. */
export async function answerMeasureLater(db: Db, actor: SessionUser, due: DueMeasure, now: Date): Promise<void> {
  await snoozeMeasure(
    db,
    { userId: actor.id, subnetId: due.subnetId, instrumentKey: due.instrument.key },
    new Date(now.getTime() + SNOOZE_DAYS * 86_400_000),
  );
}

/** What the page after answering shows: the instrument, whether the care team was alerted, the subnet's contacts. */
export interface AnsweredMeasure {
  response: MeasureResponse;
  instrumentName: string;
  alerted: boolean;
  subnetName: string;
  /** The subnet's own crisis contacts (shown after the UK ones). */
  serviceContacts: string;
}

/**
 * A member's own answered response, for the page they land on after answering. Whether it raised
 * an alert is read from the stored answers by the instrument's own rule, as it was when stored.
 * @throws HttpError 404 when it is not their answered response.
 */
export async function answeredMeasure(db: Db, actor: SessionUser, responseId: string): Promise<AnsweredMeasure> {
  const row = await findOwnResponse(db, actor.id, responseId);
  if (!row || row.status !== 'answered') throw notFound();
  const response = toMeasureResponse(row);
  const [subnet, instrument] = await Promise.all([
    findSubnet(db, response.subnetId),
    findInstrument(db, response.instrumentKey),
  ]);
  if (!subnet) throw notFound();
  const alerted =
    !!instrument &&
    !!response.itemScores &&
    instrument.items.some(
      (i) => i.alertAtOrAbove !== undefined && (response.itemScores?.[i.linkId] ?? -1) >= i.alertAtOrAbove,
    );
  return {
    response,
    instrumentName: instrument?.name ?? response.instrumentKey,
    alerted,
    subnetName: subnet.name,
    serviceContacts: subnet.crisisContacts,
  };
}
