import type { Knex } from 'knex';
import type { PlannedMessage } from './chat.js';
import type { PlannedThread } from './board.js';
import type { PlannedCareEvent, PlannedConversation } from './care.js';
import type { PlannedKey, PlannedResponse } from './keys-surveys.js';
import type { World } from './world.js';
import { measureTotals, type PlannedMeasureResponse, type PlannedSchedule } from './measures.js';

const BATCH = 1000;

/** Inserts rows in batches (one statement per batch), returning what `returning` asks for. */
export async function insertBatched<T extends object>(
  trx: Knex.Transaction,
  table: string,
  rows: readonly T[],
  returning?: string[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    if (returning) out.push(...((await trx(table).insert(chunk).returning(returning)) as Record<string, unknown>[]));
    else await trx(table).insert(chunk);
  }
  return out;
}

const byTime =
  <T>(at: (x: T) => Date) =>
  (a: T, b: T) =>
    at(a).getTime() - at(b).getTime();

/** Living-room messages in time order (so ids follow time, as the rooms read them), then their alerts and reports. */
export async function insertMessages(trx: Knex.Transaction, world: World, planned: PlannedMessage[]): Promise<void> {
  const { tally } = world;
  planned.sort(byTime((m) => m.row.created_at));
  const ids = await insertBatched(
    trx,
    'messages',
    planned.map((m) => m.row),
    ['id', 'client_id'],
  );
  const idOf = new Map(ids.map((r) => [String(r.client_id), Number(r.id)]));
  const names = nameIndex(world);
  const member = (role: string) => role === 'patient' || role === 'carer' || role === 'professional';
  for (const { row, alert, report } of planned) {
    tally.add('messages');
    if (member(row.author_role)) tally.add('memberMessages');
    if (row.status === 'held') tally.add('heldMessages');
    tally.row(
      'message',
      names.get(row.room_id) ?? '',
      names.get(row.author_id) ?? '',
      row.created_at,
      row.body,
      row.status,
    );
    if (alert) {
      tally.add('alerts');
      if (alert.acknowledged_at) tally.add('alertsAcknowledged');
      tally.row('alert', alert.acknowledged_at);
    }
    if (report) {
      tally.add('reports');
      if (report.handled_at) tally.add('reportsHandled');
      tally.row('report', names.get(report.reporter_id) ?? '', report.created_at, report.handled_at, report.outcome);
    }
  }
  const alerts = planned
    .filter((m) => m.alert)
    .map((m) => ({ ...m.alert, message_id: idOf.get(m.row.client_id), created_at: m.row.created_at }));
  const reports = planned.filter((m) => m.report).map((m) => ({ ...m.report, message_id: idOf.get(m.row.client_id) }));
  await insertBatched(trx, 'alerts', alerts);
  await insertBatched(trx, 'reports', reports);
}

/** Noticeboard threads and their replies. */
export async function insertThreads(trx: Knex.Transaction, world: World, planned: PlannedThread[]): Promise<void> {
  const names = nameIndex(world);
  const staff = staffIds(world);
  for (const t of planned) {
    world.tally.add('threads');
    if (!staff.has(t.row.author_id)) world.tally.add('memberThreads');
    world.tally.row(
      'thread',
      names.get(t.row.room_id) ?? '',
      names.get(t.row.author_id) ?? '',
      t.row.created_at,
      t.row.title,
      t.row.reply_count,
    );
    for (const r of t.replies) {
      world.tally.add('replies');
      world.tally.add(staff.has(r.author_id) ? 'staffReplies' : 'memberReplies');
      world.tally.row('reply', names.get(r.author_id) ?? '', r.created_at, r.body);
    }
  }
  await insertBatched(
    trx,
    'threads',
    planned.map((t) => t.row),
  );
  await insertBatched(trx, 'replies', planned.flatMap((t) => t.replies).sort(byTime((r) => r.created_at)));
}

/** Care-team conversations (messages in time order) and care events. */
export async function insertCare(
  trx: Knex.Transaction,
  world: World,
  conversations: PlannedConversation[],
  events: PlannedCareEvent[],
): Promise<void> {
  const names = nameIndex(world);
  const messages = conversations.flatMap((c) => c.messages).sort(byTime((m) => m.created_at));
  for (const c of conversations) {
    if (c.row.awaiting_since) world.tally.add('careAwaiting');
    world.tally.row('conversation', names.get(c.row.member_id) ?? '', c.row.created_at, c.row.awaiting_since);
  }
  for (const m of messages) {
    world.tally.add('careMessages');
    if (m.fromMember) world.tally.add('memberCareMessages');
    world.tally.row('care', names.get(m.author_id) ?? '', m.created_at, m.body);
  }
  await insertBatched(
    trx,
    'care_conversations',
    conversations.map((c) => c.row),
  );
  await insertBatched(
    trx,
    'care_messages',
    messages.map(({ fromMember: _, ...m }) => m),
  );
  const admitted = new Map<string, string>();
  for (const e of [...events].sort((a, b) => a.occurred_on.localeCompare(b.occurred_on))) {
    world.tally.add('careEvents');
    world.tally.row('care event', names.get(e.user_id) ?? '', e.kind, e.occurred_on);
    if (e.kind === 'admission') admitted.set(e.user_id, e.occurred_on);
    const from = admitted.get(e.user_id);
    if (e.kind === 'discharge' && from)
      world.tally.add('bedDays', Math.round((Date.parse(e.occurred_on) - Date.parse(from)) / 86_400_000));
  }
  await insertBatched(trx, 'care_events', events);
}

/** Invitation keys, and helpfulness survey responses with their answers. */
export async function insertKeysAndSurveys(
  trx: Knex.Transaction,
  world: World,
  keys: PlannedKey[],
  responses: PlannedResponse[],
): Promise<void> {
  const names = nameIndex(world);
  for (const k of keys) {
    world.tally.add('keysIssued');
    if (k.redeemed_at) world.tally.add('keysRedeemed');
    world.tally.row(
      'key',
      k.code_hint,
      k.created_at,
      k.redeemed_by ? (names.get(k.redeemed_by) ?? '') : null,
      k.revoked_at,
    );
  }
  await insertBatched(trx, 'invitation_keys', keys);
  const q = world.helpfulness;
  if (!q) return;
  const rows = await insertBatched(
    trx,
    'survey_responses',
    responses.map((r) => r.row),
    ['id', 'user_id', 'subnet_id', 'due_at'],
  );
  const key = (r: Record<string, unknown>) =>
    `${String(r.user_id)}|${String(r.subnet_id)}|${(r.due_at as Date).getTime()}`;
  const idOf = new Map(rows.map((r) => [key(r), r.id]));
  const answers = responses.flatMap((r) => {
    const responseId = idOf.get(key(r.row));
    world.tally.row('survey', names.get(r.row.user_id) ?? '', r.row.created_at, r.row.status, r.likert, r.comment);
    if (r.likert === null) return [];
    world.tally.add('surveyAnswers');
    if (r.likert >= 4) world.tally.add('surveyAgree');
    const likert = { response_id: responseId, question_id: q.likertId, likert: r.likert };
    return r.comment && q.textId
      ? [likert, { response_id: responseId, question_id: q.textId, text: r.comment }]
      : [likert];
  });
  await insertBatched(trx, 'survey_answers', answers);
}

/** The demo's measure schedules and the members' PHQ-9 and GAD-7 answers, with their reliable-change totals. */
export async function insertMeasures(
  trx: Knex.Transaction,
  world: World,
  schedules: PlannedSchedule[],
  responses: PlannedMeasureResponse[],
): Promise<void> {
  const names = nameIndex(world);
  for (const r of responses) {
    world.tally.add(r.status === 'answered' ? 'measureAnswers' : 'measureDeclines');
    world.tally.row('measure', names.get(r.user_id) ?? '', r.instrument_key, r.due_at, r.answered_at, r.item_scores);
  }
  const rc = measureTotals(responses);
  world.tally.add('reliableChangeScored', rc.scored);
  world.tally.add('reliableChangePaired', rc.paired);
  world.tally.add('reliableChangeImproved', rc.improved);
  world.tally.add('reliableChangeAtCaseness', rc.atCaseness);
  world.tally.add('reliableChangeRecovered', rc.recovered);
  world.tally.add('reliableChangeDeteriorated', rc.deteriorated);
  await insertBatched(trx, 'subnet_measures', schedules);
  await insertBatched(trx, 'measure_responses', responses);
}

/** Room and person names by id, for the checksum (ids differ from one database to the next). */
function nameIndex(world: World): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of world.subnets) {
    for (const r of s.rooms) map.set(r.id, r.name);
    for (const p of [...s.staff, ...s.members]) map.set(p.id, p.nickname);
  }
  return map;
}

const staffIds = (world: World) => new Set(world.subnets.flatMap((s) => s.staff.map((p) => p.id)));
