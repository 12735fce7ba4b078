import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { actorOf, requireUser } from '../http/guards.js';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import { notFound } from '../http/errors.js';
import { suppress } from '../evaluation/suppression.js';
import { findQuestionnaire } from './surveys.repo.js';
import { builderRoutes } from './builder.routes.js';
import { LIKERT } from './likert.js';
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
  builderRoutes(r, db);
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
    notice:
      req.query.done === 'created' ? 'Questionnaire saved. Members are offered it on the schedule you set.' : undefined,
    suppress,
    likert: LIKERT,
    freeTextMinimum: FREE_TEXT_MINIMUM,
  });
}
