import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, seriousViolations } from '../helpers/browser.js';
import { makeUser } from '../helpers/factories.js';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { freePort } from '../helpers/ports.js';

let provider: TestProvider;
let t: TestApp;
let base: string;
let browser: Browser;

beforeAll(async () => {
  provider = await startTestProvider();
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/auth/oidc/callback`;
  t = await startTestApp({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'sharon-e2e',
    OIDC_CLIENT_SECRET: 'sharon-e2e-secret-0123456789',
    OIDC_REDIRECT_URI: redirectUri,
    OIDC_BUTTON_TEXT: 'Sign in with NHSmail',
  });
  base = await t.listen({ port });
  provider.register({ clientId: 'sharon-e2e', clientSecret: 'sharon-e2e-secret-0123456789', redirectUri });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  await provider?.close();
});

describe('a clinician signs in with their organisation in a real browser', () => {
  it('presses "Sign in with NHSmail", passes the provider and lands on their staff home, signed in without a SHaRON code', async () => {
    const clinician = await makeUser(t.db, { role: 'clinician' });
    await t.db('users').where({ id: clinician.id }).update({ work_email: 'browser.clinician@nhs.test' });
    provider.accounts.set('entra-browser', { email: 'browser.clinician@nhs.test', email_verified: true });
    provider.signInAs('entra-browser', { amr: ['pwd', 'mfa'] });

    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${base}/login`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in with NHSmail' }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/account/sessions`);
    expect(page.url()).toBe(`${base}/account/sessions`);
    const linked = await t.db('users').where({ id: clinician.id }).first('oidc_subject');
    expect(linked.oidc_subject).toBe('entra-browser');
  });

  it('shows a clear, accessible page when the email belongs to no staff account', async () => {
    provider.accounts.set('entra-nobody', { email: 'nobody@nhs.test', email_verified: true });
    provider.signInAs('entra-nobody', { amr: ['mfa'] });
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: 'Sign in with NHSmail' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('You have not been signed in');
    expect(await page.textContent('main')).toContain('There is no SHaRON staff account for your work email address.');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
