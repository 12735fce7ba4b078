import type { Response } from 'express';
import { NO_ERRORS, type FormErrors } from '../http/forms.js';

/** What the suspension confirmation page names and where its form goes. */
export interface SuspendConfirm {
  subnet: { id: string; name: string };
  member: { id: string; nickname: string };
  /** The form's POST address (the member's page, or a message in the moderation queue). */
  action: string;
  /** Where "Cancel" and the back link go. */
  cancel: string;
}

/**
 * The confirmation step before a clinician suspends a member: names the person, says what will
 * happen and asks for the reason that goes into the audit log. Shown again at 400 with the reason
 * kept when it is missing or too short.
 */
export function renderSuspendConfirm(
  res: Response,
  status: number,
  c: SuspendConfirm,
  form: { reason?: string; errors?: FormErrors } = {},
): void {
  res.status(status).render('members/suspend', {
    title: `Suspend ${c.member.nickname}`,
    ...c,
    reason: form.reason ?? '',
    errors: form.errors ?? NO_ERRORS,
  });
}

/** The reason as typed, kept for the form shown again (bounded: it is echoed into the page). */
export const typedReason = (body: unknown): string =>
  String((body as { reason?: unknown } | undefined)?.reason ?? '').slice(0, 500);
