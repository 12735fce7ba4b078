import { generate } from 'otplib';
import type TestAgent from 'supertest/lib/agent.js';
import { DEMO_TOTP_SECRET } from '../../seeds/demo.js';

export const STAFF = new Set(['admin', 'clinician', 'peermod']);

/** The demo staff's current TOTP code. */
export function totpCode(): Promise<string> {
  return generate({ secret: DEMO_TOTP_SECRET });
}

/** A code works once: waits for the next 30-second step before a second sign-in by the same person. */
export async function nextStep(): Promise<void> {
  const ms = 30_000 - (Date.now() % 30_000) + 50;
  await new Promise((r) => setTimeout(r, ms));
}

/** Sets up two-factor sign-in through the real pages (as a new staff member must), returning the recovery codes. */
export async function enrolTwoFactor(agent: TestAgent, password: string): Promise<string[]> {
  const page = await agent.get('/account/two-factor');
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1] ?? '';
  const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  const res = await agent.post('/account/two-factor').type('form').send({ _csrf, current: password, code: await generate({ secret }) });
  return [...res.text.matchAll(/<li><code>([0-9A-F]{5}-[0-9A-F]{5})<\/code><\/li>/g)].map((m) => m[1] ?? '');
}
