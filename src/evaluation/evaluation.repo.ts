import type { Db } from '../db/knex.js';
import { MEMBER_ROLES } from '../policy/index.js';
import type { SubnetActivity } from './metrics.js';
import type { CareEvent, MembershipSpan } from './outcomes.js';
import { TALKING_THERAPIES_RULES, type ScorePoint } from '../measures/reliable-change.js';

export interface Range {
  from: Date;
  to: Date; // exclusive
}

/** Everything members wrote in the subnets in the range: chat, threads, replies, care-team messages. */
export async function memberActivity(db: Db, subnetIds: readonly string[], r: Range): Promise<SubnetActivity[]> {
  const ids = [...subnetIds];
  const roles = [...MEMBER_ROLES];
  const rows = await db.raw(
    `SELECT m.author_id AS user_id, m.created_at, ro.subnet_id FROM messages m JOIN rooms ro ON ro.id = m.room_id JOIN users u ON u.id = m.author_id
       WHERE ro.subnet_id = ANY(?::uuid[]) AND u.role = ANY(?) AND m.created_at >= ? AND m.created_at < ?
     UNION ALL
     SELECT t.author_id, t.created_at, ro.subnet_id FROM threads t JOIN rooms ro ON ro.id = t.room_id JOIN users u ON u.id = t.author_id
       WHERE ro.subnet_id = ANY(?::uuid[]) AND u.role = ANY(?) AND t.created_at >= ? AND t.created_at < ?
     UNION ALL
     SELECT p.author_id, p.created_at, ro.subnet_id FROM replies p JOIN threads t ON t.id = p.thread_id JOIN rooms ro ON ro.id = t.room_id JOIN users u ON u.id = p.author_id
       WHERE ro.subnet_id = ANY(?::uuid[]) AND u.role = ANY(?) AND p.created_at >= ? AND p.created_at < ?
     UNION ALL
     SELECT cm.author_id, cm.created_at, c.subnet_id FROM care_messages cm JOIN care_conversations c ON c.id = cm.conversation_id
       WHERE c.subnet_id = ANY(?::uuid[]) AND cm.author_id = c.member_id AND cm.created_at >= ? AND cm.created_at < ?`,
    [ids, roles, r.from, r.to, ids, roles, r.from, r.to, ids, roles, r.from, r.to, ids, r.from, r.to],
  );
  return rows.rows.map((x: { user_id: string; created_at: Date; subnet_id: string }) => ({
    userId: x.user_id,
    at: x.created_at,
    subnetId: x.subnet_id,
  }));
}

/** Milliseconds from alert to acknowledgement, and from report to its handling, in the range. */
export async function moderationResponseTimes(
  db: Db,
  subnetIds: readonly string[],
  r: Range,
): Promise<{ alerts: number[]; reports: number[] }> {
  const ids = [...subnetIds];
  const alerts = await db('alerts')
    .whereIn('subnet_id', ids)
    .whereNotNull('acknowledged_at')
    .where('created_at', '>=', r.from)
    .where('created_at', '<', r.to)
    .select(db.raw('extract(epoch from (acknowledged_at - created_at)) * 1000 as ms'));
  const reports = await db.raw(
    `SELECT extract(epoch from (rp.handled_at - rp.created_at)) * 1000 AS ms FROM reports rp
       LEFT JOIN messages m ON m.id = rp.message_id LEFT JOIN threads t ON t.id = rp.thread_id
       LEFT JOIN replies p ON p.id = rp.reply_id LEFT JOIN threads pt ON pt.id = p.thread_id
       JOIN rooms ro ON ro.id = coalesce(m.room_id, t.room_id, pt.room_id)
      WHERE ro.subnet_id = ANY(?::uuid[]) AND rp.handled_at IS NOT NULL AND rp.created_at >= ? AND rp.created_at < ?`,
    [ids, r.from, r.to],
  );
  return { alerts: alerts.map((x) => Number(x.ms)), reports: reports.rows.map((x: { ms: string }) => Number(x.ms)) };
}

/** Care-team messages of the subnets, by conversation, in time order. */
export async function careTeamMessages(
  db: Db,
  subnetIds: readonly string[],
  r: Range,
): Promise<Map<string, { at: Date; fromMember: boolean }[]>> {
  const rows = await db('care_messages as m')
    .join('care_conversations as c', 'c.id', 'm.conversation_id')
    .whereIn('c.subnet_id', [...subnetIds])
    .where('m.created_at', '>=', r.from)
    .where('m.created_at', '<', r.to)
    .orderBy(['m.conversation_id', 'm.id'])
    .select('m.conversation_id', 'm.created_at', db.raw('m.author_id = c.member_id as from_member'));
  const map = new Map<string, { at: Date; fromMember: boolean }[]>();
  for (const x of rows)
    map.set(x.conversation_id, [
      ...(map.get(x.conversation_id) ?? []),
      { at: x.created_at, fromMember: Boolean(x.from_member) },
    ]);
  return map;
}

/** Answers to "This network has helped my recovery" in the range. */
export async function helpfulnessAnswers(db: Db, subnetIds: readonly string[], r: Range): Promise<number[]> {
  const rows = await db('survey_answers as a')
    .join('survey_responses as sr', 'sr.id', 'a.response_id')
    .join('questionnaires as q', 'q.id', 'sr.questionnaire_id')
    .where('q.slug', 'helpfulness')
    .whereIn('sr.subnet_id', [...subnetIds])
    .whereNotNull('a.likert')
    .where('sr.created_at', '>=', r.from)
    .where('sr.created_at', '<', r.to)
    .select('a.likert');
  return rows.map((x) => Number(x.likert));
}

export async function keyCounts(
  db: Db,
  subnetIds: readonly string[],
  r: Range,
): Promise<{ issued: number; redeemed: number }> {
  const ids = [...subnetIds];
  const [issued, redeemed] = await Promise.all([
    db('invitation_keys')
      .whereIn('subnet_id', ids)
      .where('created_at', '>=', r.from)
      .where('created_at', '<', r.to)
      .count('* as n')
      .first(),
    db('invitation_keys')
      .whereIn('subnet_id', ids)
      .where('redeemed_at', '>=', r.from)
      .where('redeemed_at', '<', r.to)
      .count('* as n')
      .first(),
  ]);
  return { issued: Number(issued?.n ?? 0), redeemed: Number(redeemed?.n ?? 0) };
}

/**
 * Answered PHQ-9 and GAD-7 totals in the subnets in the range, oldest first, for reliable change.
 * Scores of erased accounts stay (src/measures/personal-data.ts), so figures do not change after the fact.
 */
export async function measureScores(db: Db, subnetIds: readonly string[], r: Range): Promise<ScorePoint[]> {
  const rows = await db('measure_responses')
    .whereIn('subnet_id', [...subnetIds])
    .whereIn(
      'instrument_key',
      TALKING_THERAPIES_RULES.map((x) => x.key),
    )
    .where('status', 'answered')
    .where('answered_at', '>=', r.from)
    .where('answered_at', '<', r.to)
    .orderBy([{ column: 'answered_at' }, { column: 'id' }])
    .select('user_id', 'subnet_id', 'instrument_key', 'total', 'answered_at');
  return rows.map((x) => ({
    userId: x.user_id,
    subnetId: x.subnet_id,
    instrumentKey: x.instrument_key,
    total: Number(x.total),
    answeredAt: x.answered_at,
  }));
}

/** Members' memberships of the subnets and their care events, for the outcomes comparison. */
export async function outcomeInputs(
  db: Db,
  subnetIds: readonly string[],
): Promise<{ spans: MembershipSpan[]; events: CareEvent[] }> {
  const ids = [...subnetIds];
  const [spans, events] = await Promise.all([
    db('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .whereIn('m.subnet_id', ids)
      .whereNotNull('m.cohort_id')
      .select(
        'm.user_id',
        db.raw("to_char(m.started_at, 'YYYY-MM-DD') as from_date"),
        db.raw("to_char(m.ends_at, 'YYYY-MM-DD') as to_date"),
      ),
    db('care_events').whereIn('subnet_id', ids).select('user_id', 'kind', 'occurred_on'),
  ]);
  return {
    spans: spans.map((s) => ({ userId: s.user_id, from: s.from_date, to: s.to_date })),
    events: events.map((e) => ({ userId: e.user_id, kind: e.kind, on: e.occurred_on })),
  };
}
