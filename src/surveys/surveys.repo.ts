import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';

export type QuestionKind = 'likert' | 'single_choice' | 'free_text';

export interface Question {
  id: string;
  position: number;
  kind: QuestionKind;
  text: string;
  options: string[] | null;
  required: boolean;
}

export interface Questionnaire {
  id: string;
  subnetId: string | null;
  slug: string | null;
  title: string;
  firstAfterDays: number;
  repeatEveryDays: number | null;
  active: boolean;
  questions: Question[];
}

const toQuestionnaire = (r: Record<string, unknown>, questions: Question[]): Questionnaire => ({
  id: r.id as string,
  subnetId: r.subnet_id as string | null,
  slug: r.slug as string | null,
  title: r.title as string,
  firstAfterDays: Number(r.first_after_days),
  repeatEveryDays: r.repeat_every_days === null ? null : Number(r.repeat_every_days),
  active: Boolean(r.active),
  questions,
});

async function questionsOf(db: Db, ids: string[]): Promise<Map<string, Question[]>> {
  const rows = ids.length ? await db('questions').whereIn('questionnaire_id', ids).orderBy('position') : [];
  const map = new Map<string, Question[]>();
  for (const q of rows)
    map.set(q.questionnaire_id, [
      ...(map.get(q.questionnaire_id) ?? []),
      { id: q.id, position: q.position, kind: q.kind, text: q.text, options: q.options, required: q.required },
    ]);
  return map;
}

export async function findQuestionnaire(db: Db, id: string): Promise<Questionnaire | undefined> {
  const r = await db('questionnaires').where({ id }).first();
  return r ? toQuestionnaire(r, (await questionsOf(db, [r.id])).get(r.id) ?? []) : undefined;
}

/** Active questionnaires that apply in a subnet (its own and the built-in ones). */
export async function questionnairesFor(
  db: Db,
  subnetIds: string[],
  includeInactive = false,
): Promise<Questionnaire[]> {
  const q = db('questionnaires')
    .where((w) => w.whereNull('subnet_id').orWhereIn('subnet_id', subnetIds))
    .orderBy('created_at');
  if (!includeInactive) q.where('active', true);
  const rows = await q;
  const questions = await questionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toQuestionnaire(r, questions.get(r.id) ?? []));
}

/** A questionnaire that applies in one of a member's subnets, with what the member did with it there. */
export interface SurveyCandidate {
  questionnaire: Questionnaire;
  subnetId: string;
  membership: { startedAt: Date; endsAt: Date | null };
  lastDueAt: Date | null;
  snoozedUntil: Date | null;
}

// Every member's lobby asks: one prepared round trip for every membership's active questionnaires,
// their questions, the latest occurrence handled and any snooze.
const candidatesPrepared = preparedQuery<{ userId: string }>('survey_candidates', (db, p) =>
  db.raw(
    `SELECT q.*, m.subnet_id AS for_subnet_id, m.started_at AS membership_started_at, m.ends_at AS membership_ends_at,
       coalesce((SELECT json_agg(json_build_object('id', x.id, 'position', x.position, 'kind', x.kind, 'text', x.text,
                   'options', x.options, 'required', x.required) ORDER BY x.position)
                 FROM questions x WHERE x.questionnaire_id = q.id), '[]'::json) AS questions_json,
       (SELECT max(r.due_at) FROM survey_responses r
         WHERE r.questionnaire_id = q.id AND r.user_id = m.user_id AND r.subnet_id = m.subnet_id) AS last_due_at,
       (SELECT sn.until FROM survey_snoozes sn WHERE sn.questionnaire_id = q.id AND sn.user_id = m.user_id LIMIT 1) AS snoozed_until
     FROM memberships m
     JOIN questionnaires q ON q.active AND (q.subnet_id IS NULL OR q.subnet_id = m.subnet_id)
     WHERE m.user_id = ?
     ORDER BY m.started_at, m.subnet_id, q.created_at`,
    [p.userId],
  ),
);

/** Every membership's active questionnaires with the member's handled state: one round trip. */
export async function surveyCandidates(db: Db, userId: string): Promise<SurveyCandidate[]> {
  return (await candidatesPrepared(db, { userId })).map((r) => ({
    questionnaire: toQuestionnaire(r, r.questions_json as Question[]),
    subnetId: r.for_subnet_id as string,
    membership: { startedAt: r.membership_started_at as Date, endsAt: r.membership_ends_at as Date | null },
    lastDueAt: (r.last_due_at as Date | null) ?? null,
    snoozedUntil: (r.snoozed_until as Date | null) ?? null,
  }));
}

export interface NewAnswer {
  questionId: string;
  likert?: number;
  choice?: string;
  text?: string;
}

export async function insertResponse(
  db: Db,
  r: {
    questionnaireId: string;
    userId: string;
    subnetId: string;
    dueAt: Date;
    status: 'answered' | 'declined';
    answers: NewAnswer[];
  },
): Promise<void> {
  const [row] = await db('survey_responses')
    .insert({
      questionnaire_id: r.questionnaireId,
      user_id: r.userId,
      subnet_id: r.subnetId,
      due_at: r.dueAt,
      status: r.status,
    })
    .onConflict(['questionnaire_id', 'user_id', 'subnet_id', 'due_at'])
    .ignore()
    .returning('id');
  if (!row || r.answers.length === 0) return;
  await db('survey_answers').insert(
    r.answers.map((a) => ({
      response_id: row.id,
      question_id: a.questionId,
      likert: a.likert ?? null,
      choice: a.choice ?? null,
      text: a.text ?? null,
    })),
  );
  await db('survey_snoozes').where({ questionnaire_id: r.questionnaireId, user_id: r.userId }).delete();
}

export async function snooze(db: Db, questionnaireId: string, userId: string, until: Date): Promise<void> {
  await db('survey_snoozes')
    .insert({ questionnaire_id: questionnaireId, user_id: userId, until })
    .onConflict(['questionnaire_id', 'user_id'])
    .merge({ until });
}

export async function insertQuestionnaire(
  db: Db,
  q: {
    subnetId: string;
    title: string;
    firstAfterDays: number;
    repeatEveryDays: number | null;
    createdBy: string;
    questions: Omit<Question, 'id'>[];
  },
): Promise<string> {
  const [row] = await db('questionnaires')
    .insert({
      subnet_id: q.subnetId,
      title: q.title,
      first_after_days: q.firstAfterDays,
      repeat_every_days: q.repeatEveryDays,
      created_by: q.createdBy,
    })
    .returning('id');
  await db('questions').insert(
    q.questions.map((x) => ({
      questionnaire_id: row.id,
      position: x.position,
      kind: x.kind,
      text: x.text,
      options: x.options ? JSON.stringify(x.options) : null,
      required: x.required,
    })),
  );
  return row.id;
}

/**
 * One answer, with nothing about who gave it or when: results pages and exports are built from
 * these rows only, so they cannot show a nickname or a date beside an answer.
 */
export interface AnswerRow {
  questionId: string;
  likert: number | null;
  choice: string | null;
  text: string | null;
}

/** Every answer to a questionnaire from members of a subnet (in no particular order), and the response counts. */
export async function answersIn(
  db: Db,
  questionnaireId: string,
  subnetId: string,
): Promise<{ answers: AnswerRow[]; answered: number; declined: number }> {
  const [answers, counts] = await Promise.all([
    db('survey_answers as a')
      .join('survey_responses as r', 'r.id', 'a.response_id')
      .where({ 'r.questionnaire_id': questionnaireId, 'r.subnet_id': subnetId })
      .select('a.question_id', 'a.likert', 'a.choice', 'a.text'),
    db('survey_responses')
      .where({ questionnaire_id: questionnaireId, subnet_id: subnetId })
      .select('status')
      .count('* as n')
      .groupBy('status'),
  ]);
  const count = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    answers: answers.map((a) => ({ questionId: a.question_id, likert: a.likert, choice: a.choice, text: a.text })),
    answered: count('answered'),
    declined: count('declined'),
  };
}
