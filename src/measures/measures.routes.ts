import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/knex.js';
import type { Realtime } from '../realtime/realtime.js';
import { actorOf, requireUser } from '../http/guards.js';
import { notFound } from '../http/errors.js';
import { NO_ERRORS, formErrors, type FormErrors } from '../http/forms.js';
import { TOLD } from '../safety/support.js';
import { readItemScores, optionsOf } from './instrument.js';
import { MeasureKey, ResponseId, SubnetField } from './measures.schemas.js';
import {
  answerMeasure,
  answerMeasureLater,
  answeredMeasure,
  declineMeasure,
  dueMeasure,
  recentAnswer,
  type DueMeasure,
} from './measures.service.js';
import { scheduleRoutes } from './schedule.routes.js';
import type { CsrfVerifier } from '../http/security.js';
import { instrumentRoutes } from './instruments.routes.js';

export { MEASURES_UPLOAD_PATHS } from './instruments.routes.js';

export interface MeasuresDeps {
  db: Db;
  realtime: Realtime;
  verifyCsrf: CsrfVerifier;
}
type Handler = (deps: MeasuresDeps, req: Request, res: Response) => Promise<unknown>;

/**
 * Outcome measures: members answer (or put off, or decline) the measures due to them; clinicians
 * set a subnet's schedule (schedule.routes.ts); admins add instruments from definition files
 * (instruments.routes.ts). A member's own progress page is /measures/progress (progress routes).
 */
export function measuresRoutes(deps: MeasuresDeps): Router {
  const r = Router();
  const run = (handler: Handler) => (req: Request, res: Response) => handler(deps, req, res);
  r.get('/measures/:key/answer', requireUser, run(showMeasure));
  r.post('/measures/:key/answer', requireUser, run(submitMeasure));
  r.post('/measures/:key/later', requireUser, run(putOff('later')));
  r.post('/measures/:key/decline', requireUser, run(putOff('decline')));
  r.get('/measures/responses/:responseId', requireUser, run(showAnswered));
  scheduleRoutes(r, deps.db);
  instrumentRoutes(r, deps);
  return r;
}

/** The measure a URL names, due to the member in the subnet the query (GET) or form (POST) names. @throws HttpError 404 */
async function dueFor(db: Db, req: Request): Promise<DueMeasure> {
  const key = MeasureKey.safeParse(req.params.key);
  const subnet = SubnetField.safeParse(req.method === 'GET' ? req.query : req.body);
  if (!key.success || !subnet.success) throw notFound();
  return dueMeasure(db, actorOf(req), key.data, subnet.data.subnet, new Date());
}

const renderForm = (
  res: Response,
  status: number,
  due: DueMeasure,
  values: Record<string, string>,
  errors: FormErrors,
) =>
  res.status(status).render('measures/answer', {
    title: `${due.instrument.name}: ${due.instrument.measures}`,
    due,
    values,
    errors,
    optionsOf: (item: DueMeasure['instrument']['items'][number]) => optionsOf(due.instrument, item),
  });

/** GET /measures/:key/answer?subnet=: the questions, for a member it is due to. */
async function showMeasure({ db }: MeasuresDeps, req: Request, res: Response) {
  renderForm(res, 200, await dueFor(db, req), {}, NO_ERRORS);
}

/** The chosen answers as sent (bounded), so the form shows them checked again. */
const keptAnswers = (due: DueMeasure, body: Record<string, unknown>) =>
  Object.fromEntries(
    due.instrument.items.map((i) => [
      `item-${i.linkId}`,
      typeof body[`item-${i.linkId}`] === 'string' ? String(body[`item-${i.linkId}`]).slice(0, 4) : '',
    ]),
  );

/** POST /measures/:key/answer: stores the answers (and any alert) and lands on the response's page; 400 with answers kept. */
async function submitMeasure({ db, realtime }: MeasuresDeps, req: Request, res: Response) {
  const due = await dueFor(db, req).catch((e: unknown) => alreadyAnswered(db, req, e));
  if (typeof due === 'string') return res.redirect(303, `/measures/responses/${due}`);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const read = readItemScores(due.instrument, body);
  if (!read.ok) return renderForm(res, 400, due, keptAnswers(due, body), formErrors(read.errors));
  const { responseId, told } = await answerMeasure(db, realtime, actorOf(req), due, read.answers);
  res.redirect(303, `/measures/responses/${responseId}${told ? `?told=${told}` : ''}`);
}

/**
 * A form sent twice (or from a second tab) finds its occurrence already answered: it lands on that
 * answer's page, crisis contacts and all, rather than on "not found". Anything else rethrows.
 */
async function alreadyAnswered(db: Db, req: Request, e: unknown): Promise<string> {
  const key = MeasureKey.safeParse(req.params.key);
  const subnet = SubnetField.safeParse(req.body);
  const id =
    key.success && subnet.success
      ? await recentAnswer(db, actorOf(req), key.data, subnet.data.subnet, new Date())
      : null;
  if (id) return id;
  throw e;
}

/** POST /measures/:key/later and …/decline: back to the lobby, which says what happened. */
const putOff =
  (what: 'later' | 'decline'): Handler =>
  async ({ db }, req, res) => {
    const due = await dueFor(db, req);
    if (what === 'later') await answerMeasureLater(db, actorOf(req), due, new Date());
    else await declineMeasure(db, actorOf(req), due);
    res.redirect(303, `/?measure=${what}`);
  };

/** GET /measures/responses/:responseId: "thank you", or, after an answer that alerted the care team, the crisis contacts first. */
async function showAnswered({ db }: MeasuresDeps, req: Request, res: Response) {
  const id = ResponseId.safeParse(req.params.responseId);
  if (!id.success) throw notFound();
  const answered = await answeredMeasure(db, actorOf(req), id.data);
  // Who was told is known only when the answer was stored; unknown (a reload later) reads as
  // nobody, so the page never claims more than is true and puts the contacts first.
  const told = TOLD.find((t) => t === req.query.told) ?? 'nobody';
  res.render('measures/answered', {
    title: answered.alerted ? 'Thank you for telling us' : 'Thank you',
    ...answered,
    told,
  });
}
