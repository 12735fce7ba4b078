import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import { findRoomsOfSubnets, findSubnet } from '../building/building.service.js';
import {
  BASELINE_HOLDS,
  BASELINE_RULE_KEYS,
  BUILTIN_DETECTORS,
  BUILTIN_LABELS,
  isCrisisPhrase,
  WATCH_ACTIONS,
} from './watched-words.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, numericIdParam } from '../http/params.js';
import { EmptyForm, UuidParam, validate } from '../http/validate.js';
import { authorize, canSwitchBaselineRule, canActInSubnet } from '../policy/index.js';
import { deleteWatchedWord, insertWatchedWord, listWatchedWords } from './watched-words.repo.js';
import { baselineAction, baselineOf, switchOffBaselineHold, switchOnBaselineHold } from './watched-words.service.js';

const AddRule = z.strictObject({
  kind: z.enum(['phrase', 'builtin'], { error: 'Choose what to watch for' }),
  phrase: z.string().trim().max(100, 'The word or phrase must be 100 characters or fewer').default(''),
  builtin: z.enum(BUILTIN_DETECTORS).optional(),
  action: z.enum(WATCH_ACTIONS, { error: 'Choose what happens' }),
  roomId: z.union([z.literal(''), z.uuid()]).default(''),
  _csrf: z.string().optional(),
});
const SwitchOff = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1, 'Enter why this hold is switched off')
    .max(500, 'The reason must be 500 characters or fewer'),
  _csrf: z.string().optional(),
});
const BaselineRuleParam = z.enum(BASELINE_RULE_KEYS);

// Shown on the 403 page when a request tries to switch off the baseline's alerts (the page offers no control).
const ALERTS_ALWAYS_ON =
  'Alerts on suicide and self-harm phrases are always on in every subnet. Nobody can switch them off or remove them.';
const DONE: Record<string, string> = {
  saved: 'Saved.',
  off: 'The hold is switched off in every room of this subnet. Your reason is recorded.',
  on: 'The hold is switched back on in every room of this subnet.',
};

type Handler = (deps: { db: Db }, req: Request, res: Response) => Promise<unknown>;

/** Watched words of a subnet: its clinicians and admins keep the list. */
export function watchedWordsRoutes({ db }: { db: Db }): Router {
  const r = Router();
  const run = (handler: Handler) => (req: Request, res: Response) => handler({ db }, req, res);
  const page = '/subnets/:subnetId/watched-words';
  r.get(page, requireUser, run(showRules));
  r.post(page, requireUser, run(addRule));
  r.post(`${page}/:ruleId/delete`, requireUser, deleteRuleForm, run(deleteRule));
  r.get(`${page}/baseline/:rule/switch-off`, requireUser, run(showSwitchOff));
  r.post(`${page}/baseline/:rule/switch-off`, requireUser, run(switchOff));
  r.post(`${page}/baseline/:rule/switch-on`, requireUser, switchOnForm, run(switchOn));
  return r;
}

/** The subnet of the URL, if the actor may manage its watched words. @throws HttpError 404 / PolicyDenied. */
async function load(db: Db, req: Request) {
  const subnet = await findSubnet(db, idParam(req.params.subnetId));
  if (!subnet) throw notFound();
  authorize(canActInSubnet(actorOf(req), 'manage_watched_words', subnet, new Date()));
  return subnet;
}

/** The watched-words page: the baseline, the subnet's rules and the add form. */
async function render(
  db: Db,
  req: Request,
  res: Response,
  status: number,
  values: Record<string, string>,
  errors: FormErrors,
) {
  const subnet = await load(db, req);
  const [baseline, rules, rooms] = await Promise.all([
    baselineOf(db, subnet.id),
    listWatchedWords(db, subnet.id),
    findRoomsOfSubnets(db, [subnet.id]),
  ]);
  const notice = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
  res.status(status).render('moderation/watched-words', {
    title: `Watched words: ${subnet.name}`,
    subnet,
    baseline,
    rules,
    rooms,
    values,
    errors,
    builtins: BUILTIN_DETECTORS,
    builtinLabels: BUILTIN_LABELS,
    notice,
  });
}

/** GET /subnets/:subnetId/watched-words */
const showRules: Handler = ({ db }, req, res) =>
  render(db, req, res, 200, { kind: 'phrase', action: 'alert', roomId: '' }, NO_ERRORS);

/** POST /subnets/:subnetId/watched-words: adds a rule, or re-renders the page at 400 with what was typed. */
async function addRule({ db }: { db: Db }, req: Request, res: Response) {
  const subnet = await load(db, req);
  const values = Object.fromEntries(
    ['kind', 'phrase', 'builtin', 'action', 'roomId'].map((k) => [k, String(req.body?.[k] ?? '').slice(0, 100)]),
  );
  const parsed = parseForm(AddRule, req.body);
  if (!parsed.ok) return render(db, req, res, 400, values, parsed.errors);
  const f = parsed.data;
  const pattern = f.kind === 'phrase' ? f.phrase : f.builtin;
  if (!pattern || (f.kind === 'phrase' && pattern.length < 2))
    return render(
      db,
      req,
      res,
      400,
      values,
      formErrors([
        {
          field: f.kind === 'phrase' ? 'phrase' : 'builtin',
          message: f.kind === 'phrase' ? 'Enter a word or phrase of at least 2 characters' : 'Choose a kind of detail',
        },
      ]),
    );
  const always = alwaysOn(f.kind, pattern, f.action);
  if (always) return render(db, req, res, 400, values, formErrors([always]));
  const rooms = await findRoomsOfSubnets(db, [subnet.id]);
  if (f.roomId && !rooms.some((room) => room.id === f.roomId))
    return render(
      db,
      req,
      res,
      400,
      values,
      formErrors([{ field: 'roomId', message: 'Choose a room of this subnet' }]),
    );
  try {
    const id = await insertWatchedWord(db, {
      subnetId: subnet.id,
      roomId: f.roomId || null,
      kind: f.kind,
      pattern,
      action: f.action,
      createdBy: actorOf(req).id,
    });
    await recordAudit(db, auditContext(req), {
      action: 'watched_word.add',
      targetType: 'watched_word',
      targetId: String(id),
      details: { subnet_id: subnet.id, action: f.action },
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return render(
      db,
      req,
      res,
      400,
      values,
      formErrors([{ field: 'phrase', message: 'That rule is already on the list' }]),
    );
  }
  res.redirect(303, `/subnets/${subnet.id}/watched-words?done=saved`);
}

// A rule id that is not a number (a forged "crisis-phrases") stays a 404, like an unknown rule.
const deleteRuleForm = validate({
  params: z.strictObject({ subnetId: UuidParam, ruleId: z.string().max(40) }),
  body: EmptyForm,
});

/** POST /subnets/:subnetId/watched-words/:ruleId/delete */
async function deleteRule({ db }: { db: Db }, req: Request, res: Response) {
  const subnet = await load(db, req);
  const id = numericIdParam(deleteRuleForm.read(req).params.ruleId);
  if (await deleteWatchedWord(db, subnet.id, id))
    await recordAudit(db, auditContext(req), {
      action: 'watched_word.delete',
      targetType: 'watched_word',
      targetId: String(id),
    });
  res.redirect(303, `/subnets/${subnet.id}/watched-words?done=saved`);
}

// The safety baseline: a hold is switched off with a reason, and back on; an alert never.
async function loadBaseline(db: Db, req: Request, res: Response) {
  const subnet = await load(db, req);
  const key = BaselineRuleParam.safeParse(req.params.rule);
  if (!key.success) throw notFound();
  res.locals.refusal = ALERTS_ALWAYS_ON;
  authorize(canSwitchBaselineRule(actorOf(req), subnet, { action: baselineAction(key.data) }, new Date()));
  // The policy refused the alerts: what is left is a hold.
  const detector = BASELINE_HOLDS.find((d) => d === key.data);
  if (!detector) throw notFound();
  return { subnet, detector };
}

async function renderSwitchOff(
  db: Db,
  req: Request,
  res: Response,
  status: number,
  reason: string,
  errors: FormErrors,
) {
  const { subnet, detector } = await loadBaseline(db, req, res);
  const rule = (await baselineOf(db, subnet.id)).find((b) => b.key === detector);
  res
    .status(status)
    .render('moderation/switch-off', { title: `Switch off a hold: ${subnet.name}`, subnet, rule, reason, errors });
}

/** GET …/baseline/:rule/switch-off: the form asking why. */
const showSwitchOff: Handler = ({ db }, req, res) => renderSwitchOff(db, req, res, 200, '', NO_ERRORS);

/** POST …/baseline/:rule/switch-off */
async function switchOff({ db }: { db: Db }, req: Request, res: Response) {
  const { subnet, detector } = await loadBaseline(db, req, res);
  const parsed = parseForm(SwitchOff, req.body);
  if (!parsed.ok) return renderSwitchOff(db, req, res, 400, String(req.body?.reason ?? ''), parsed.errors);
  await switchOffBaselineHold(db, auditContext(req), subnet.id, detector, parsed.data.reason);
  res.redirect(303, `/subnets/${subnet.id}/watched-words?done=off`);
}

// An unknown rule stays a 404 (loadBaseline), like the switch-off page's.
const switchOnForm = validate({
  params: z.strictObject({ subnetId: UuidParam, rule: z.string().max(40) }),
  body: EmptyForm,
});

/** POST …/baseline/:rule/switch-on */
async function switchOn({ db }: { db: Db }, req: Request, res: Response) {
  const { subnet, detector } = await loadBaseline(db, req, res);
  await switchOnBaselineHold(db, auditContext(req), subnet.id, detector);
  res.redirect(303, `/subnets/${subnet.id}/watched-words?done=on`);
}

/** A rule staff may not add because the baseline already has it everywhere, as a form error. */
function alwaysOn(kind: 'phrase' | 'builtin', pattern: string, action: 'alert' | 'hold') {
  if (kind === 'phrase' && action === 'alert' && isCrisisPhrase(pattern))
    return {
      field: 'phrase',
      message: 'Every subnet already alerts on that phrase: it is one of the suicide and self-harm phrases, always on',
    };
  if (kind === 'builtin' && action === 'hold' && (BASELINE_HOLDS as readonly string[]).includes(pattern))
    return {
      field: 'builtin',
      message:
        'Every room already holds these: the hold is part of the safety baseline (switch it back on above if it is off)',
    };
  return null;
}
