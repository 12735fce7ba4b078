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

describe('the Key issued card in a real browser', () => {
  it('at 390 px: axe-clean, no sideways scroll, a Print button, and printing shows only the card', async () => {
    const page = await signedInPage(browser, base, 'clinician', { viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/keys`);
    await page.getByLabel('Group').selectOption({ label: 'Anorexia' });
    await page.getByRole('button', { name: 'Issue key' }).click();
    await page.waitForSelector('#key-code');
    expect(await seriousViolations(page)).toEqual([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    expect(await page.getByRole('img', { name: /QR code of the join link/ }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Print this card' }).isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sharon-key-card').isVisible()).toBe(true);
    expect(await page.locator('#key-code').isVisible()).toBe(true);
    for (const hidden of ['.nhsuk-header', '.nhsuk-footer', '#key-summary', '#print-card'])
      expect(`${hidden}: ${await page.locator(hidden).isVisible()}`).toBe(`${hidden}: false`);
    await page.context().close();
  });
});
