import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { notFound } from '../http/errors.js';
import { suppress } from '../evaluation/suppression.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import { findQuestionnaire, insertQuestionnaire, questionnairesFor } from './surveys.repo.js';
import { parseQuestions } from './builder.js';
import {
  answerLater,
  answerSurvey,
  declineSurvey,
  dueSurvey,
  questionnaireResults,
  questionnaireSubnet,
  readAnswers,
} from './surveys.service.js';
import { FREE_TEXT_MINIMUM, secureRandomIndex, type RandomIndex } from './free-text.js';

const SubnetQuery = z.object({ subnet: z.uuid() }).loose();
const NewQuestionnaire = z.strictObject({
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(3, 'Enter a title of at least 3 characters')
    .max(200, 'The title must be 200 characters or fewer'),
  firstAfterDays: z.coerce
    .number({ error: 'Enter a number of days' })
    .int('Enter a whole number of days')
    .min(0, 'Enter 0 or more days')
    .max(3650, 'Enter at most 3650 days'),
  repeatEveryDays: z
    .union([
      z.literal(''),
      z.coerce
        .number()
        .int('Enter a whole number of days')
        .min(7, 'Repeat at most once a week')
        .max(3650, 'Enter at most 3650 days'),
    ])
    .default(''),
  questions: z.string().max(20_000, 'The questions must be 20,000 characters or fewer'),
  _csrf: z.string().optional(),
});
export const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];

interface SurveysDeps {
  db: Db;
  randomIndex: RandomIndex;
}
type Handler = (deps: SurveysDeps, req: Request, res: Response) => Promise<unknown>;

/**
 * Members answer (or decline, or put off) questionnaires; clinicians and admins write them and read
 * the answers. `randomIndex` orders written answers on the results page (secure by default).
 */
export function surveysRoutes({ db, randomIndex = secureRandomIndex }: { db: Db; randomIndex?: RandomIndex }): Router {
  const r = Router();
  const deps = { db, randomIndex };
  const run = (handler: Handler) => (req: Request, res: Response) => handler(deps, req, res);
  r.get('/surveys/:questionnaireId', requireUser, run(showSurvey));
  r.post('/surveys/:questionnaireId', requireUser, run(submitSurvey));
  for (const [path, act] of [
    ['later', answerLater],
    ['decline', declineSurvey],
  ] as const) {
    r.post(`/surveys/:questionnaireId/${path}`, requireUser, run(putOff(path, act)));
  }
  r.get('/subnets/:subnetId/questionnaires', requireUser, run(showQuestionnaires));
  r.post('/subnets/:subnetId/questionnaires', requireUser, run(createQuestionnaire));
  r.get('/subnets/:subnetId/questionnaires/:questionnaireId', requireUser, run(showResults));
  return r;
}

/** The subnet a member answers for (query on GET, form on POST). @throws HttpError 404 when missing. */
const subnetOf = (req: Request) => {
  const q = SubnetQuery.safeParse(req.method === 'GET' ? req.query : req.body);
  if (!q.success) throw notFound();
  return q.data.subnet;
};

const dueFor = (db: Db, req: Request) =>
  dueSurvey(db, actorOf(req), idParam(req.params.questionnaireId), subnetOf(req), new Date());

const renderForm = (
  res: Response,
  status: number,
  due: Awaited<ReturnType<typeof dueSurvey>>,
  values: Record<string, string>,
  errors: FormErrors,
) =>
  res.status(status).render('surveys/answer', {
    title: due.questionnaire.title,
    due,
    values,
    errors,
    likert: LIKERT,
    freeTextMinimum: FREE_TEXT_MINIMUM,
  });

/** GET /surveys/:questionnaireId: the questions, for a member it is due to. */
async function showSurvey({ db }: SurveysDeps, req: Request, res: Response) {
  const due = await dueFor(db, req);
  renderForm(res, 200, due, {}, NO_ERRORS);
}

/** POST /surveys/:questionnaireId: the answers, or the form again at 400 with them kept. */
async function submitSurvey({ db }: SurveysDeps, req: Request, res: Response) {
  const due = await dueFor(db, req);
  const read = readAnswers(due.questionnaire, req.body ?? {});
  if (!read.ok)
    return renderForm(
      res,
      400,
      due,
      Object.fromEntries(Object.entries(req.body ?? {}).map(([k, v]) => [k, String(v).slice(0, 2000)])),
      read.errors,
    );
  await answerSurvey(db, actorOf(req), due, read.answers);
  res.redirect(303, '/?survey=thanks');
}

/** POST /surveys/:questionnaireId/later and …/decline. */
const putOff =
  (path: 'later' | 'decline', act: typeof answerLater | typeof declineSurvey): Handler =>
  async ({ db }, req, res) => {
    const due = await dueFor(db, req);
    await act(db, actorOf(req), due, new Date());
    res.redirect(303, `/?survey=${path}`);
  };

/** A subnet's questionnaires and the form for a new one. */
async function renderList(
  db: Db,
  req: Request,
  res: Response,
  status: number,
  values: Record<string, string>,
  errors: FormErrors,
) {
  const subnet = await questionnaireSubnet(db, actorOf(req), idParam(req.params.subnetId), new Date());
  res.status(status).render('surveys/questionnaires', {
    title: `Questionnaires: ${subnet.name}`,
    subnet,
    questionnaires: await questionnairesFor(db, [subnet.id], true),
    values,
    errors,
  });
}

/** GET /subnets/:subnetId/questionnaires */
const showQuestionnaires: Handler = ({ db }, req, res) =>
  renderList(db, req, res, 200, { firstAfterDays: '28', repeatEveryDays: '91' }, NO_ERRORS);

/** POST /subnets/:subnetId/questionnaires: writes a questionnaire (audited), or the list again at 400 with the input kept. */
async function createQuestionnaire({ db }: SurveysDeps, req: Request, res: Response) {
  const subnet = await questionnaireSubnet(db, actorOf(req), idParam(req.params.subnetId), new Date());
  const values = Object.fromEntries(
    ['title', 'firstAfterDays', 'repeatEveryDays', 'questions'].map((k) => [
      k,
      String(req.body?.[k] ?? '').slice(0, 20_000),
    ]),
  );
  const form = parseForm(NewQuestionnaire, req.body);
  if (!form.ok) return renderList(db, req, res, 400, values, form.errors);
  const parsed = parseQuestions(form.data.questions);
  if (!parsed.ok) return renderList(db, req, res, 400, values, formErrors([parsed.error]));
  const id = await insertQuestionnaire(db, {
    subnetId: subnet.id,
    title: form.data.title,
    firstAfterDays: form.data.firstAfterDays,
    repeatEveryDays: form.data.repeatEveryDays === '' ? null : form.data.repeatEveryDays,
    createdBy: actorOf(req).id,
    questions: parsed.questions,
  });
  await recordAudit(db, auditContext(req), {
    action: 'questionnaire.create',
    targetType: 'questionnaire',
    targetId: id,
    details: { subnet_id: subnet.id },
  });
  res.redirect(303, `/subnets/${subnet.id}/questionnaires/${id}`);
}

/** GET /subnets/:subnetId/questionnaires/:questionnaireId: the results, small numbers suppressed. */
async function showResults({ db, randomIndex }: SurveysDeps, req: Request, res: Response) {
  const subnet = await questionnaireSubnet(db, actorOf(req), idParam(req.params.subnetId), new Date());
  const q = await findQuestionnaire(db, idParam(req.params.questionnaireId));
  if (!q || (q.subnetId !== null && q.subnetId !== subnet.id)) throw notFound();
  const results = await questionnaireResults(db, q, subnet.id, randomIndex);
  res.render('surveys/results', {
    title: q.title,
    subnet,
    q,
    ...results,
    suppress,
    likert: LIKERT,
    freeTextMinimum: FREE_TEXT_MINIMUM,
  });
}
