import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

// Issue 15 item 1 in a real browser: the clinician's open home ("What needs you now") follows a
// held message and a watched-word alert, and who is in the room, without a reload; on a phone too.

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
const HOLD_PHRASE = 'meet me at the bus station';
const mobile = { viewport: { width: 390, height: 844 } };

beforeAll(async () => {
  ({ t, base, browser, ids } = await openBrowserSuite());
  await t
    .db('watched_words')
    .insert({ subnet_id: ids.subnet('eating-disorders'), kind: 'phrase', pattern: HOLD_PHRASE, action: 'hold' });
});
afterAll(() => closeBrowserSuite({ t, browser }));

const line = (page: Page, subnetId: string, key: string) =>
  page.locator(`[data-live-subnet="${subnetId}"] [data-waiting="${key}"]`);
const countOf = async (page: Page, subnetId: string, key: string) =>
  Number(await line(page, subnetId, key).locator('[data-count]').getAttribute('data-count'));

async function send(page: Page, body: string): Promise<void> {
  await page.getByLabel('Your message').fill(body);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => page.locator('#messages li', { hasText: body }).count()).toBe(1);
}

describe('the staff home updates live', () => {
  it("the clinician's open home counts anna's held message and her alert, and shows her in the room, without a reload; axe clean, no sideways scroll at 390 px", async () => {
    const ed = ids.subnet('eating-disorders');
    const clinician = await signedInPage(browser, base, 'clinician', mobile);
    const errors: string[] = [];
    clinician.on('pageerror', (e) => errors.push(e.message));
    await clinician.goto(`${base}/`);
    expect(await clinician.locator('h1').textContent()).toBe('What needs you now');
    await clinician.locator('html[data-workspace-live="connected"]').waitFor({ state: 'attached' });
    // A mark on this page's window: a reload or navigation would lose it.
    await clinician.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
    const held = await countOf(clinician, ed, 'held_message');
    const alerts = await countOf(clinician, ed, 'alerts');

    const anna = await signedInPage(browser, base, 'anna', mobile);
    await anna.goto(`${base}/rooms/${ids.room('Anorexia living room')}`);
    const busy = clinician.locator(`[data-live-subnet="${ed}"]`, { hasText: 'Anorexia living room: ' });
    await expect.poll(() => anna.locator('#presence').textContent()).toContain('Willow'); // her page has joined live
    await expect.poll(() => busy.count()).toBe(1);

    await send(anna, `shall we ${HOLD_PHRASE} later`);
    await expect.poll(() => countOf(clinician, ed, 'held_message')).toBe(held + 1);
    expect(await line(clinician, ed, 'held_message').textContent()).toMatch(
      /waiting (less than a minute|\d+ minutes?)/,
    );
    await expect.poll(() => clinician.locator('#workspace-live').textContent()).toContain(`${held + 1} held message`);
    expect(await clinician.locator('#workspace-live').textContent()).not.toContain('open report'); // only what changed

    await send(anna, 'I want to end it all');
    await expect.poll(() => countOf(clinician, ed, 'alerts')).toBe(alerts + 1);
    await expect
      .poll(() => clinician.locator('#workspace-live').textContent())
      .toContain(`${alerts + 1} unacknowledged alert`);

    expect(await clinician.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    expect(await clinician.locator('main').textContent()).not.toContain(HOLD_PHRASE);
    expect(
      await clinician.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    expect(await seriousViolations(clinician)).toEqual([]);
    expect(errors).toEqual([]);

    await anna.context().close();
    await expect.poll(() => busy.count()).toBe(0);
    await clinician.context().close();
  });

  it('the admin landing is accessible and fits a phone', async () => {
    const admin = await signedInPage(browser, base, 'admin', mobile);
    expect(await admin.locator('h1').textContent()).toBe('Administration');
    expect(await admin.getByRole('link', { name: 'Evaluation dashboard' }).getAttribute('href')).toBe('/evaluation');
    expect(
      await admin.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    expect(await seriousViolations(admin)).toEqual([]);
    await admin.context().close();
  });
});
