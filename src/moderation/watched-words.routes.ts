import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import { isUniqueViolation } from '../db/errors.js';
import { auditContext, recordAudit } from '../audit/audit.service.js';
import { findRoomsOfSubnets, findSubnet } from '../building/building.repo.js';
import { BUILTIN_DETECTORS, BUILTIN_LABELS, WATCH_ACTIONS } from '../chat/watched-words.js';
import { notFound } from '../http/errors.js';
import { actorOf, requireUser } from '../http/guards.js';
import { formErrors, NO_ERRORS, parseForm, type FormErrors } from '../http/forms.js';
import { idParam, numericIdParam } from '../http/params.js';
import { authorize, decideSubnet } from '../policy/index.js';
import { deleteWatchedWord, insertWatchedWord, listWatchedWords } from './watched-words.repo.js';

const AddRule = z.strictObject({
  kind: z.enum(['phrase', 'builtin'], { error: 'Choose what to watch for' }),
  phrase: z.string().trim().max(100, 'The word or phrase must be 100 characters or fewer').default(''),
  builtin: z.enum(BUILTIN_DETECTORS).optional(),
  action: z.enum(WATCH_ACTIONS, { error: 'Choose what happens' }),
  roomId: z.union([z.literal(''), z.uuid()]).default(''),
  _csrf: z.string().optional(),
});
const DeleteRule = z.strictObject({ _csrf: z.string().optional() });

/** Watched words of a subnet: its clinicians and admins keep the list. */
export function watchedWordsRoutes({ db }: { db: Db }): Router {
  const r = Router();

  async function load(req: Request) {
    const subnet = await findSubnet(db, idParam(req.params.subnetId));
    if (!subnet) throw notFound();
    authorize(decideSubnet(actorOf(req), 'manage_watched_words', subnet, new Date()));
    return subnet;
  }

  async function render(req: Request, res: Response, status: number, values: Record<string, string>, errors: FormErrors) {
    const subnet = await load(req);
    const [rules, rooms] = await Promise.all([listWatchedWords(db, subnet.id), findRoomsOfSubnets(db, [subnet.id])]);
    res.status(status).render('moderation/watched-words', { title: `Watched words: ${subnet.name}`, subnet, rules, rooms, values, errors, builtins: BUILTIN_DETECTORS, builtinLabels: BUILTIN_LABELS, notice: req.query.done ? 'Saved.' : undefined });
  }

  r.get('/subnets/:subnetId/watched-words', requireUser, (req, res) => render(req, res, 200, { kind: 'phrase', action: 'alert', roomId: '' }, NO_ERRORS));

  r.post('/subnets/:subnetId/watched-words', requireUser, async (req, res) => {
    const subnet = await load(req);
    const values = Object.fromEntries(['kind', 'phrase', 'builtin', 'action', 'roomId'].map((k) => [k, String(req.body?.[k] ?? '').slice(0, 100)]));
    const parsed = parseForm(AddRule, req.body);
    if (!parsed.ok) return render(req, res, 400, values, parsed.errors);
    const f = parsed.data;
    const pattern = f.kind === 'phrase' ? f.phrase : f.builtin;
    if (!pattern || (f.kind === 'phrase' && pattern.length < 2)) return render(req, res, 400, values, formErrors([{ field: f.kind === 'phrase' ? 'phrase' : 'builtin', message: f.kind === 'phrase' ? 'Enter a word or phrase of at least 2 characters' : 'Choose a kind of detail' }]));
    const rooms = await findRoomsOfSubnets(db, [subnet.id]);
    if (f.roomId && !rooms.some((room) => room.id === f.roomId)) return render(req, res, 400, values, formErrors([{ field: 'roomId', message: 'Choose a room of this subnet' }]));
    try {
      const id = await insertWatchedWord(db, { subnetId: subnet.id, roomId: f.roomId || null, kind: f.kind, pattern, action: f.action, createdBy: actorOf(req).id });
      await recordAudit(db, auditContext(req), { action: 'watched_word.add', targetType: 'watched_word', targetId: String(id), details: { subnet_id: subnet.id, action: f.action } });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      return render(req, res, 400, values, formErrors([{ field: 'phrase', message: 'That rule is already on the list' }]));
    }
    res.redirect(303, `/subnets/${subnet.id}/watched-words?done=1`);
  });

  r.post('/subnets/:subnetId/watched-words/:ruleId/delete', requireUser, async (req, res) => {
    const subnet = await load(req);
    parseForm(DeleteRule, req.body);
    const id = numericIdParam(req.params.ruleId);
    if (await deleteWatchedWord(db, subnet.id, id)) await recordAudit(db, auditContext(req), { action: 'watched_word.delete', targetType: 'watched_word', targetId: String(id) });
    res.redirect(303, `/subnets/${subnet.id}/watched-words?done=1`);
  });

  return r;
}
