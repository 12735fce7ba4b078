import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

describe('the noticeboard and notifications in a real browser', () => {
  it('anna posts a thread, peermod replies, and anna sees the notification arrive and follows it', async () => {
    const anna = await signedInPage(browser, base, 'anna', { viewport: { width: 390, height: 844 } });
    await anna.goto(`${base}/rooms/${ids.room('Eating disorders noticeboard')}`);
    await anna.getByLabel('Title').fill('Does it get easier?');
    await anna.getByLabel('Your message').fill('Three weeks in and still finding lunch hard.');
    await anna.getByRole('button', { name: 'Post thread' }).click();
    await anna.waitForURL(/\/threads\/[0-9a-f-]{36}\?done=posted/);
    const threadUrl = anna.url().split('?')[0] ?? '';
    expect(await anna.getByText('Your post is on the noticeboard.').count()).toBe(1);
    await anna.goto(`${base}/`);
    expect(await anna.locator('#unread-count').isHidden()).toBe(true);
    expect(await seriousViolations(anna)).toEqual([]);

    const peermod = await signedInPage(browser, base, 'peermod');
    await peermod.goto(threadUrl);
    await peermod.getByLabel('Your reply').fill('It does. Lunch was hardest for me too; small steps.');
    await peermod.getByRole('button', { name: 'Post reply' }).click();
    await peermod.waitForURL(/done=posted/);
    expect(await seriousViolations(peermod)).toEqual([]);

    // Live: anna's open page shows the new unread notification without a reload.
    await expect.poll(() => anna.locator('#unread-count').textContent()).toContain('1');
    await anna.getByRole('link', { name: /Notifications/ }).click();
    expect(await seriousViolations(anna)).toEqual([]);
    // It says where and who, never what: the thread, its room and service, and that staff answered.
    await anna
      .getByRole('button', {
        name: /A staff member replied to your thread ‘Does it get easier\?’ in Eating disorders noticeboard \(Eating Disorders\)/,
      })
      .click();
    await anna.waitForURL(/\/threads\//);
    expect(await anna.getByText('It does. Lunch was hardest for me too; small steps.').count()).toBe(1);
    expect(await anna.getByText('Answered by staff').count()).toBe(1);
    expect(await anna.locator('#unread-count').isHidden()).toBe(true);
    await anna.context().close();
    await peermod.context().close();
  });

  it('axe-core finds no serious violation on the care-team pages and the moderation queue with posts', async () => {
    const anna = await signedInPage(browser, base, 'anna');
    await anna.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/care-team/mine`);
    await anna.getByLabel('Your message to the care team').fill('Could we talk this week?');
    await anna.getByRole('button', { name: 'Send' }).click();
    await anna.waitForURL(/sent=1/);
    expect(await seriousViolations(anna)).toEqual([]);
    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/care-team`);
    expect(await clinician.getByText(/waiting \d+ minute/).count()).toBe(1);
    expect(await seriousViolations(clinician)).toEqual([]);
    await clinician.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/moderation`);
    expect(await seriousViolations(clinician)).toEqual([]);
    await anna.context().close();
    await clinician.context().close();
  });
});
