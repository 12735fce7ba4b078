import { generate } from 'otplib';
import type TestAgent from 'supertest/lib/agent.js';
import { DEMO_TOTP_SECRET } from '../../seeds/demo.js';

export const STAFF = new Set(['admin', 'clinician', 'peermod']);

const STEP_MS = 30_000;

/**
 * The clock of the test's two-factor world: the system clock plus an offset that only moves
 * forward. Apps started by the helpers check codes against it (createApp's `clock`), and codes are
 * made from it, so "the next 30-second step" is one call away instead of a wait of up to 30 s.
 */
export const totpClock = {
  offsetMs: 0,
  now(): Date {
    return new Date(Date.now() + totpClock.offsetMs);
  },
};

/** The demo staff's current TOTP code (by the test clock). */
export function totpCode(): Promise<string> {
  return totpCodeFor(DEMO_TOTP_SECRET);
}

/** The current TOTP code for a secret (by the test clock). */
export function totpCodeFor(secret: string): Promise<string> {
  return generate({ secret, epoch: Math.floor(totpClock.now().getTime() / 1000) });
}

/**
 * A code works once: moves the test clock to the start of the next 30-second step (no waiting)
 * before a second sign-in by the same person. A server in another process keeps the system clock
 * but accepts one step ahead (clock-drift tolerance), so one move is enough there too.
 */
export function nextStep(): void {
  const now = totpClock.now().getTime();
  totpClock.offsetMs += STEP_MS - (now % STEP_MS) + 50;
}

/** Sets up two-factor sign-in through the real pages (as a new staff member must), returning the recovery codes. */
export async function enrolTwoFactor(agent: TestAgent, password: string): Promise<string[]> {
  const page = await agent.get('/account/two-factor');
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1] ?? '';
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const res = await agent
    .post('/account/two-factor')
    .type('form')
    .send({ _csrf, current: password, code: await totpCodeFor(secret) });
  return [...res.text.matchAll(/<li><code>([0-9A-F]{5}-[0-9A-F]{5})<\/code><\/li>/g)].map((m) => m[1] ?? '');
}
