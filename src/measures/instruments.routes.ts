import type { Request, Response, Router } from 'express';
import type { Db } from '../db/knex.js';
import { auditContext } from '../audit/audit.service.js';
import { findSubnet, type SubnetSummary } from '../building/building.service.js';
import { adminOnly } from '../admin/admin.guard.js';
import { HttpError, notFound } from '../http/errors.js';
import { NO_ERRORS, type FieldError, type FormErrors } from '../http/forms.js';
import { idParam } from '../http/params.js';
import type { CsrfVerifier } from '../http/security.js';
import { MAX_DEFINITION_BYTES, receiveDefinition } from './definition-upload.js';
import { DefinitionBody, EnabledBody } from './measures.schemas.js';
import { addInstrument, setEnabledInstruments, subnetInstruments } from './instruments.service.js';

/** The one measures route that takes a multipart body (a definition file; src/http/multipart.ts). */
const DEFINITION_PATH = '/admin/subnets/:subnetId/measures/instruments';
export const MEASURES_UPLOAD_PATHS: readonly string[] = [DEFINITION_PATH];

const NOTICES: Record<string, string> = {
  added: 'Instrument added and enabled in this subnet. Its clinicians can now choose to use it on their measures page.',
  replaced: 'Instrument definition replaced and enabled in this subnet.',
  enabled: 'Saved. Members are offered only the enabled instruments their clinicians schedule.',
};

/**
 * The admin's instruments page for a subnet: the built-in measures, the added ones (enable or
 * disable them here) and a form to add one from a definition file, uploaded or pasted.
 */
export function instrumentRoutes(r: Router, deps: { db: Db; verifyCsrf: CsrfVerifier }): void {
  const { db } = deps;
  const guard = adminOnly('manage_subnets');
  r.get('/admin/subnets/:subnetId/measures', ...guard, async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const done = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    await render(db, res, 200, subnet, '', NO_ERRORS, done);
  });
  r.post(DEFINITION_PATH, ...guard, async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const sent = await definitionText(req, deps.verifyCsrf);
    if ('tooLarge' in sent)
      return render(db, res, 413, subnet, sent.kept, errorsOf([{ field: 'definition', message: tooLarge }]));
    const added = await addInstrument(db, auditContext(req), subnet, sent.text);
    if (!added.ok) return render(db, res, 400, subnet, sent.text, errorsOf(added.errors));
    res.redirect(303, `/admin/subnets/${subnet.id}/measures?done=${added.replaced ? 'replaced' : 'added'}`);
  });
  r.post('/admin/subnets/:subnetId/measures/enabled', ...guard, async (req, res) => {
    const subnet = await loadSubnet(db, req.params.subnetId);
    const keys = EnabledBody.safeParse(req.body ?? {});
    if (!keys.success) throw new HttpError(400, 'bad_form');
    await setEnabledInstruments(db, auditContext(req), subnet, keys.data);
    res.redirect(303, `/admin/subnets/${subnet.id}/measures?done=enabled`);
  });
}

const tooLarge = `The definition must be smaller than ${MAX_DEFINITION_BYTES / 1024} KB`;

const loadSubnet = async (db: Db, id: unknown): Promise<SubnetSummary> =>
  (await findSubnet(db, idParam(id))) ?? Promise.reject(notFound());

/**
 * The definition's text: an uploaded file (multipart) wins over the pasted text. Every problem is
 * listed in the summary; the field shows one line that points to it.
 */
async function definitionText(
  req: Request,
  verifyCsrf: CsrfVerifier,
): Promise<{ text: string } | { tooLarge: true; kept: string }> {
  if (req.is('multipart/form-data') !== 'multipart/form-data') {
    const body = DefinitionBody.safeParse(req.body ?? {});
    if (!body.success) return { tooLarge: true, kept: '' };
    return { text: body.data.definition };
  }
  const got = await receiveDefinition(req, verifyCsrf);
  if (!got.csrfOk) throw new HttpError(403, 'invalid_csrf');
  if (got.tooLarge) return { tooLarge: true, kept: got.pasted.slice(0, MAX_DEFINITION_BYTES) };
  return { text: got.file ?? got.pasted };
}

const errorsOf = (list: FieldError[]): FormErrors => ({
  list,
  byField: {
    definition:
      list.length === 1
        ? (list[0]?.message ?? '')
        : `The definition has ${list.length} problems, listed at the top of the page`,
  },
});

async function render(
  db: Db,
  res: Response,
  status: number,
  subnet: SubnetSummary,
  definition: string,
  errors: FormErrors,
  notice?: string,
) {
  res.status(status).render('measures/instruments', {
    title: `Outcome measures: instruments for ${subnet.name}`,
    subnet,
    instruments: await subnetInstruments(db, subnet.id),
    definition,
    errors,
    notice,
    maxKb: MAX_DEFINITION_BYTES / 1024,
  });
}
