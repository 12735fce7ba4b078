import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { actorOf, requireUser } from '../http/guards.js';
import { notFound } from '../http/errors.js';
import { validate } from '../http/validate.js';
import { canSeeStaffHome, canUseAdminPages } from '../policy/index.js';
import { KIND_LABELS } from '../building/labels.js';
import { staffHome, type WorkspaceDeps } from './workspace.service.js';

const summaryRequest = validate({ query: z.strictObject({}) });

/** GET /workspace/summary: the live part of the staff home, as an HTML fragment its script swaps in. */
export function workspaceRoutes(deps: WorkspaceDeps): Router {
  const r = Router();
  r.get('/workspace/summary', requireUser, summaryRequest, showSummary(deps));
  return r;
}

/**
 * Renders GET / for staff: an admin's landing page (the admin tools, each with what it is for), or
 * for a clinician or peer moderator "What needs you now" with their rooms and staff pages below.
 * The caller has asked canSeeStaffHome.
 */
export async function renderStaffHome(deps: WorkspaceDeps, req: Request, res: Response): Promise<void> {
  const actor = actorOf(req);
  if (canUseAdminPages(actor, 'read_audit').allowed) return res.render('workspace/admin', { title: 'Administration' });
  const home = await staffHome(deps, actor, new Date());
  res.render('workspace/home', { title: 'What needs you now', home, kindLabels: KIND_LABELS });
}

// The fragment is the same policy question as the page: to anyone else it does not exist (404).
function showSummary(deps: WorkspaceDeps) {
  return async (req: Request, res: Response) => {
    const now = new Date();
    if (!canSeeStaffHome(actorOf(req), now).allowed) throw notFound();
    const home = await staffHome(deps, actorOf(req), now);
    res.set('Cache-Control', 'no-store');
    res.render('workspace/summary', { home });
  };
}
