import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

/** Every tel: link in the page's main content, in order, as [href, visible text]. */
const telLinks = (page: Page) =>
  page
    .locator('main a[href^="tel:"]')
    .evaluateAll((links) => links.map((a) => [a.getAttribute('href'), (a.textContent ?? '').trim()]));
const UK = [
  ['tel:999', '999'],
  ['tel:111', '111'],
  ['tel:116123', '116 123'],
];

describe('crisis help in a real browser', () => {
  it('a visitor who is not signed in goes from the sign-in page to "Need help now?": 999, 111 and 116 123 are tel: links, and axe finds no serious violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByRole('link', { name: 'See the crisis contacts' }).click();
    await page.waitForURL(`${base}/help`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Need help now?');
    expect(await telLinks(page)).toEqual(UK);
    expect(await page.getByRole('link', { name: '999' }).first().getAttribute('href')).toBe('tel:999');
    expect(
      await page.locator('footer a[href^="tel:"]').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['tel:999', 'tel:111', 'tel:116123']);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it("a member sees the UK numbers first, then her service's own number, all as tel: links, with no serious axe violation", async () => {
    const page = await signedInPage(browser, base, 'anna');
    await page.getByRole('link', { name: 'Need help now?' }).first().click();
    await page.waitForURL(`${base}/help`);
    expect(await telLinks(page)).toEqual([...UK, ['tel:01614960123', '0161 496 0123']]);
    expect(await page.getByRole('heading', { name: 'Eating Disorders', level: 2 }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${base}/rooms/${ids.room('Anorexia living room')}`);
    // Nobody from the team is online, so the room's crisis box shows, with the same numbers in the same order.
    const box = page.locator('#crisis');
    expect(await box.isVisible()).toBe(true);
    expect(
      await box.locator('a[href^="tel:"]').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['tel:999', 'tel:111', 'tel:116123', 'tel:01614960123']);
    await page.context().close();
  });

  it('the 404 page links to the crisis page and passes axe', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${base}/no-such-page`);
    expect(res?.status()).toBe(404);
    await page.getByRole('link', { name: 'Need help now? See the crisis contacts' }).click();
    await page.waitForURL(`${base}/help`);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
