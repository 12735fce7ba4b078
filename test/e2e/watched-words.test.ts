import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

describe('the safety baseline on the watched-words page, in a real browser', () => {
  it('a clinician sees the baseline "Always on", switches the hold on social handles off with a reason after an empty try, and back on; axe finds no serious violation', async () => {
    const page = await signedInPage(browser, base, 'clinician');
    const url = `${base}/subnets/${ids.subnet('eating-disorders')}/watched-words`;
    await page.goto(url);
    const crisisRow = page.locator('#baseline-crisis-phrases');
    await expect.poll(() => crisisRow.textContent()).toContain('Always on');
    expect(await crisisRow.textContent()).toContain('Cannot be switched off');
    expect(await crisisRow.locator('a, button').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: /Switch off the hold on Social media handles/ }).click();
    await page.waitForURL(/\/baseline\/handle\/switch-off$/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Switch off the hold' }).click();
    await page.waitForLoadState('domcontentloaded');
    await expect
      .poll(() => page.locator('.nhsuk-error-summary').textContent())
      .toContain('Enter why this hold is switched off');
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByLabel('Why switch this hold off?')
      .fill('Peer workers share their work profiles, agreed with the CSO');
    await page.getByRole('button', { name: 'Switch off the hold' }).click();
    await page.waitForURL(/watched-words\?done=off$/);
    const handleRow = page.locator('#baseline-handle');
    expect(await page.getByRole('status').textContent()).toContain('The hold is switched off');
    expect(await handleRow.textContent()).toContain('Switched off');
    expect(await handleRow.textContent()).toContain('Peer workers share their work profiles, agreed with the CSO');

    await handleRow.getByRole('button', { name: /Switch back on/ }).click();
    await page.waitForURL(/watched-words\?done=on$/);
    expect(await page.locator('#baseline-handle').textContent()).toContain('Always on');
    expect(await t.db('baseline_holds_off').first()).toBeUndefined();
  });
});
