import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import type { SubnetSummary } from '../building/building.service.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { UuidParam, validate } from '../http/validate.js';
import { applyAction, blankDraft, draftQuestions, readDraft, type Draft } from './builder.js';
import {
  BuilderBody,
  MAX_OPTIONS,
  MAX_QUESTIONS,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  QuestionnaireSchedule,
} from './builder.schemas.js';
import { questionnairesFor } from './surveys.repo.js';
import { createQuestionnaire, questionnaireSubnet } from './surveys.service.js';
import { FREE_TEXT_MINIMUM } from './free-text.js';
import { LIKERT } from './likert.js';

const SubnetParams = z.strictObject({ subnetId: UuidParam });
const builderForm = validate({ params: SubnetParams, body: BuilderBody });
const subnetPage = validate({ params: SubnetParams });

/** The questionnaire builder: GET and POST /subnets/:subnetId/questionnaires (clinicians of S, admins). */
export function builderRoutes(r: Router, db: Db): void {
  r.get('/subnets/:subnetId/questionnaires', requireUser, subnetPage, async (req, res) => {
    const subnet = await questionnaireSubnet(db, actorOf(req), subnetPage.read(req).params.subnetId, new Date());
    await renderBuilder(db, res, 200, subnet, blankDraft(), NO_ERRORS);
  });
  r.post('/subnets/:subnetId/questionnaires', requireUser, builderForm, (req, res) => postBuilder(db, req, res));
}

/** The questions of a draft that can be shown yet (written, with a type), as a member would see them. */
const previewOf = (draft: Draft) => ({
  title: draft.title.trim(),
  questions: draft.questions
    .filter((q) => q.text.trim() && q.kind)
    .map((q) => ({ ...q, text: q.text.trim(), options: q.options.map((o) => o.trim()).filter(Boolean) })),
});

/** A subnet's questionnaires and the builder, with the draft as it stands. */
async function renderBuilder(
  db: Db,
  res: Response,
  status: number,
  subnet: SubnetSummary,
  draft: Draft,
  errors: FormErrors,
  extra: { focus?: string | undefined; preview?: boolean } = {},
) {
  res.status(status).render('surveys/questionnaires', {
    title: `Questionnaires: ${subnet.name}`,
    subnet,
    questionnaires: await questionnairesFor(db, [subnet.id], true),
    draft,
    errors,
    focus: extra.focus ?? (extra.preview ? 'preview-title' : ''),
    preview: extra.preview ? previewOf(draft) : null,
    kinds: QUESTION_KINDS,
    kindLabels: QUESTION_KIND_LABELS,
    maxQuestions: MAX_QUESTIONS,
    maxOptions: MAX_OPTIONS,
    likert: LIKERT,
    freeTextMinimum: FREE_TEXT_MINIMUM,
  });
}

/**
 * POST /subnets/:subnetId/questionnaires: a builder button (add, remove or move a question, add or
 * remove an option, preview) comes back with the draft changed and kept; "save" writes the
 * questionnaire (audited) and lands on it, or comes back at 400 naming each question and field.
 */
async function postBuilder(db: Db, req: Request, res: Response) {
  const { params, body } = builderForm.read(req);
  const subnet = await questionnaireSubnet(db, actorOf(req), params.subnetId, new Date());
  const action = body.action ?? 'save';
  const { draft, focus } = applyAction(readDraft(body), action);
  if (action !== 'save')
    return renderBuilder(db, res, 200, subnet, draft, NO_ERRORS, { focus, preview: action === 'preview' });
  const schedule = parseForm(QuestionnaireSchedule, body);
  const questions = draftQuestions(draft);
  if (!schedule.ok || !questions.ok) {
    const list = [...(schedule.ok ? [] : schedule.errors.list), ...(questions.ok ? [] : questions.errors)];
    return renderBuilder(db, res, 400, subnet, draft, formErrors(list));
  }
  const id = await createQuestionnaire(db, auditContext(req), subnet, {
    title: schedule.data.title,
    firstAfterDays: schedule.data.firstAfterDays,
    repeatEveryDays: schedule.data.repeatEveryDays === '' ? null : schedule.data.repeatEveryDays,
    questions: questions.questions,
  });
  res.redirect(303, `/subnets/${subnet.id}/questionnaires/${id}?done=created`);
}
