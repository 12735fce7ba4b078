import type { Db } from '../db/knex.js';
import { recordAudit, type AuditContext } from '../audit/audit.service.js';
import type { SessionUser } from '../people/person.js';
import { subnetFor, type SubnetSummary } from '../building/building.service.js';
import { notFound } from '../http/errors.js';
import { formErrors, type FormErrors } from '../http/forms.js';
import { canAnswerQuestionnaires, isCurrent } from '../policy/index.js';
import {
  answersIn,
  insertQuestionnaire,
  insertResponse,
  surveyCandidates,
  snooze,
  type AnswerRow,
  type NewAnswer,
  type Question,
  type Questionnaire,
} from './surveys.repo.js';
import { freeTextResult, type FreeTextResult, type RandomIndex } from './free-text.js';
import { dueOccurrence } from './schedule.js';

export interface DueSurvey {
  questionnaire: Questionnaire;
  subnetId: string;
  dueAt: Date;
}

/** The questionnaires a member is due to answer now, in each subnet they belong to. */
export async function dueSurveys(db: Db, actor: SessionUser, now: Date): Promise<DueSurvey[]> {
  if (!actor.memberships.some((m) => canAnswerQuestionnaires(actor, m.subnetId, now).allowed)) return [];
  const due: DueSurvey[] = [];
  for (const c of await surveyCandidates(db, actor.id)) {
    if (!isCurrent({ subnetId: c.subnetId, cohortId: null, endsAt: c.membership.endsAt }, now)) continue;
    const dueAt = dueOccurrence(c.membership.startedAt, c.questionnaire, c.lastDueAt, c.snoozedUntil, now);
    if (dueAt) due.push({ questionnaire: c.questionnaire, subnetId: c.subnetId, dueAt });
  }
  return due;
}

/**
 * A questionnaire the member is due to answer in a subnet.
 * @throws HttpError 404 when it is not theirs to answer now.
 */
export async function dueSurvey(
  db: Db,
  actor: SessionUser,
  questionnaireId: string,
  subnetId: string,
  now: Date,
): Promise<DueSurvey> {
  const found = (await dueSurveys(db, actor, now)).find(
    (d) => d.questionnaire.id === questionnaireId && d.subnetId === subnetId,
  );
  if (!found) throw notFound();
  return found;
}

/** Reads answers from a form; each question's own rule (1 to 5, one of its options, bounded text). */
export function readAnswers(
  q: Questionnaire,
  body: Record<string, unknown>,
): { ok: true; answers: NewAnswer[] } | { ok: false; errors: FormErrors } {
  const answers: NewAnswer[] = [];
  const errors: { field: string; message: string }[] = [];
  for (const question of q.questions) {
    const field = `q-${question.position}`;
    const raw = typeof body[field] === 'string' ? (body[field] as string).trim() : '';
    if (!raw) {
      if (question.required) errors.push({ field, message: `Answer “${question.text}”` });
      continue;
    }
    if (question.kind === 'likert') {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1 || n > 5)
        errors.push({ field, message: `Choose an answer to “${question.text}”` });
      else answers.push({ questionId: question.id, likert: n });
    } else if (question.kind === 'single_choice') {
      if (!question.options?.includes(raw))
        errors.push({ field, message: `Choose one of the answers to “${question.text}”` });
      else answers.push({ questionId: question.id, choice: raw });
    } else if (raw.length > 2000) errors.push({ field, message: 'Your answer must be 2000 characters or fewer' });
    else answers.push({ questionId: question.id, text: raw });
  }
  return errors.length ? { ok: false, errors: formErrors(errors) } : { ok: true, answers };
}

export async function answerSurvey(db: Db, actor: SessionUser, due: DueSurvey, answers: NewAnswer[]): Promise<void> {
  await insertResponse(db, {
    questionnaireId: due.questionnaire.id,
    userId: actor.id,
    subnetId: due.subnetId,
    dueAt: due.dueAt,
    status: 'answered',
    answers,
  });
}

export async function declineSurvey(db: Db, actor: SessionUser, due: DueSurvey): Promise<void> {
  await insertResponse(db, {
    questionnaireId: due.questionnaire.id,
    userId: actor.id,
    subnetId: due.subnetId,
    dueAt: due.dueAt,
    status: 'declined',
    answers: [],
  });
}

/** "Answer later": asked again in three days. */
export async function answerLater(db: Db, actor: SessionUser, due: DueSurvey, now: Date): Promise<void> {
  await snooze(db, due.questionnaire.id, actor.id, new Date(now.getTime() + 3 * 86_400_000));
}

/**
 * A subnet for its questionnaire pages: clinicians of S and admins.
 * @throws HttpError 404 / PolicyDenied (hidden).
 */
export async function questionnaireSubnet(
  db: Db,
  actor: SessionUser,
  subnetId: string,
  now: Date,
): Promise<SubnetSummary> {
  return subnetFor(db, actor, subnetId, 'manage_questionnaires', now);
}

export interface QuestionnaireResults {
  answered: number;
  declined: number;
  /** Agreement and choice answers, counted on the page (suppressed there); never the written ones. */
  answers: Omit<AnswerRow, 'text'>[];
  /** Per free-text question id: its written answers as staff may see them (src/surveys/free-text.ts). */
  freeText: Record<string, FreeTextResult>;
}

/**
 * A questionnaire's results in a subnet, safe to show: written answers without names or dates,
 * hidden below the minimum, shuffled anew on every call.
 */
export async function questionnaireResults(
  db: Db,
  q: Questionnaire,
  subnetId: string,
  randomIndex: RandomIndex,
): Promise<QuestionnaireResults> {
  const { answers, answered, declined } = await answersIn(db, q.id, subnetId);
  const freeText: Record<string, FreeTextResult> = {};
  for (const question of q.questions.filter((x) => x.kind === 'free_text')) {
    const texts = answers.filter((a) => a.questionId === question.id).flatMap((a) => (a.text ? [a.text] : []));
    freeText[question.id] = freeTextResult(texts, randomIndex);
  }
  return {
    answered,
    declined,
    answers: answers.map(({ questionId, likert, choice }) => ({ questionId, likert, choice })),
    freeText,
  };
}

/** A new questionnaire as the builder checked it: the schedule and the questions in order. */
export interface NewQuestionnaire {
  title: string;
  firstAfterDays: number;
  repeatEveryDays: number | null;
  questions: Omit<Question, 'id'>[];
}

/**
 * Writes a questionnaire of a subnet (the caller loaded the subnet with questionnaireSubnet, which
 * authorised) and its audit row in one transaction. Returns its id.
 */
export function createQuestionnaire(
  db: Db,
  ctx: AuditContext,
  subnet: SubnetSummary,
  q: NewQuestionnaire,
): Promise<string> {
  return db.transaction(async (trx) => {
    const id = await insertQuestionnaire(trx, { ...q, subnetId: subnet.id, createdBy: ctx.actorId ?? '' });
    await recordAudit(trx, ctx, {
      action: 'questionnaire.create',
      targetType: 'questionnaire',
      targetId: id,
      details: { subnet_id: subnet.id },
    });
    return id;
  });
}
