import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../db/knex.js';
import type { Config } from '../config.js';
import { actorOf, requireUser } from '../http/guards.js';
import { parseQuery } from '../http/params.js';
import { notFound } from '../http/errors.js';
import { recordAudit, auditContext } from '../audit/audit.service.js';
import { buildDashboard } from './evaluation.service.js';
import { DATASETS, datasetCsv, type Dataset } from './csv.js';
import { isSuppressed, suppress, suppressedPercent } from './suppression.js';
import { shownBand } from './reliable-change.js';

const isoDay = z.iso.date();
const Query = z
  .object({
    subnet: z.union([z.literal(''), z.uuid()]).default(''),
    from: isoDay.optional(),
    to: isoDay.optional(),
  })
  .loose();

function resolve(q: z.infer<typeof Query>, now: Date) {
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  return { subnet: q.subnet, from: from <= to ? from : to, to };
}

/** The evaluation dashboard and its CSV exports: clinicians for their subnets, admins for all. */
export function evaluationRoutes({ db, config }: { db: Db; config: Config }): Router {
  const r = Router();

  r.get('/evaluation', requireUser, async (req, res) => {
    const now = new Date();
    const d = await buildDashboard(db, config, actorOf(req), resolve(parseQuery(Query, req.query), now), now);
    const qs = new URLSearchParams({ subnet: d.query.subnet, from: d.query.from, to: d.query.to }).toString();
    res.render('evaluation/dashboard', {
      title: 'Evaluation dashboard',
      d,
      qs,
      suppress,
      isSuppressed,
      suppressedPercent,
      reliableChange: d.reliableChange.bands.map(shownBand),
      timeZone: config.safety.timeZone,
    });
  });

  r.get('/evaluation/:dataset.csv', requireUser, async (req, res) => {
    const dataset = String(req.params.dataset);
    if (!(DATASETS as readonly string[]).includes(dataset)) throw notFound();
    const now = new Date();
    const d = await buildDashboard(db, config, actorOf(req), resolve(parseQuery(Query, req.query), now), now);
    await recordAudit(db, auditContext(req), {
      action: 'evaluation.export',
      targetType: 'dataset',
      targetId: dataset,
      details: { subnets: d.scope.length },
    });
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', `attachment; filename="sharon-${dataset}-${d.query.from}-to-${d.query.to}.csv"`);
    res.send(datasetCsv(d, dataset as Dataset));
  });

  return r;
}
