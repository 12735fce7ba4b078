import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

const sideways = () => document.documentElement.scrollWidth - document.documentElement.clientWidth;

describe('an admin suspends an account and reads why in the audit log, in a real browser at 390 px', () => {
  it('the action lands on a notice naming the account; the audit log names both people and shows the reason; axe is clean', async () => {
    await makeUser(t.db, {
      username: 'linden',
      nickname: 'Linden',
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
    });
    const admin = await signedInPage(browser, base, 'admin', { viewport: { width: 390, height: 844 } });
    await admin.goto(`${base}/admin/accounts`);
    await admin.getByLabel('Find by username or nickname').fill('linden');
    await admin.getByRole('button', { name: 'Search' }).click();
    await admin.getByRole('button', { name: 'Suspend linden' }).click();
    const reason = 'Agreed with the service lead after a safeguarding review';
    await admin.getByLabel('Why are you suspending Linden?').fill(reason);
    await admin.getByRole('button', { name: 'Suspend Linden' }).click();
    await admin.waitForURL(/\/admin\/accounts\?q=linden&done=suspended$/);
    await expect
      .poll(() => admin.getByRole('status').first().textContent())
      .toContain("Linden's account was suspended and they were signed out everywhere.");
    const accountsFound = await seriousViolations(admin);

    await admin.goto(`${base}/admin/audit`);
    await admin.getByLabel('Target: username, id or path').fill('linden');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await admin.waitForURL(/target=linden/);
    const row = admin.locator('tbody tr', { hasText: 'account.suspend' });
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('Site keeper (admin)');
    expect(text).toContain('Linden (linden)');
    expect(text).toContain(reason);
    expect(await admin.getByText('Your reading of this log is itself recorded in it').count()).toBe(1);
    expect(await admin.evaluate(sideways)).toBeLessThanOrEqual(0);
    expect({ accounts: accountsFound, audit: await seriousViolations(admin) }).toEqual({ accounts: [], audit: [] });

    // The viewing just done is in the log, under the admin's name.
    await admin.goto(`${base}/admin/audit?action=audit.view`);
    expect(await admin.locator('tbody tr', { hasText: 'Site keeper (admin)' }).count()).toBeGreaterThan(0);
  });
});
