import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport } from '../helpers/factories.js';

// Issue 15 items 3 and 4 in a real browser, at phone width: the moderation queue says live that it
// changed without losing a half-typed choice, removal keeps mute and suspend in reach, and a
// notification names where it is about.

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

const mobile = { viewport: { width: 390, height: 844 } };
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the moderation queue and notifications in a real browser', () => {
  it('the queue shows "1 new item" live, keeps the moderator\'s half-made choice, and Show brings the new report', async () => {
    const clinician = await signedInPage(browser, base, 'clinician', mobile);
    const queue = `${base}/subnets/${ids.subnet('eating-disorders')}/moderation`;
    const first = await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna') });
    await makeReport(t.db, { messageId: first, reporterId: ids.user('bella'), reason: 'first report' });
    await clinician.goto(queue);
    expect(await sideways(clinician)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(clinician)).toEqual([]);

    // A half-made choice: the filter set to a room, not yet submitted.
    await clinician.getByLabel('Show items from').selectOption({ label: 'Bulimia living room' });
    const member = await signedInPage(browser, base, 'bella');
    const second = await makeMessage(t.db, { roomId: ids.room('Bulimia living room'), authorId: ids.user('peermod') });
    await member.goto(`${base}/messages/${second}/report`);
    await member.getByLabel('What is wrong with this message?').fill('second report');
    await member.getByRole('button', { name: 'Send report' }).click();
    await member.waitForURL(/reported=1/);

    await expect.poll(() => clinician.locator('#queue-live').textContent()).toContain('1 new item');
    expect(await clinician.getByLabel('Show items from').inputValue()).toBe(ids.room('Bulimia living room'));
    expect(await clinician.getByText('second report').count()).toBe(0);
    expect(await seriousViolations(clinician)).toEqual([]);
    await clinician.locator('#queue-live').getByRole('link', { name: /Show/ }).click();
    await clinician.waitForLoadState('load');
    expect(await clinician.getByText('second report').count()).toBe(1);

    // Remove it: the confirmation keeps Mute and Suspend for its author, usable at 390 px.
    await clinician
      .locator('.sharon-queue-item', { hasText: 'first report' })
      .getByRole('button', { name: /Remove message/ })
      .click();
    await clinician.waitForURL(/\/removed$/);
    expect(await clinician.getByRole('heading', { name: 'Message removed' }).count()).toBe(1);
    expect(await clinician.getByRole('button', { name: 'Mute Willow' }).count()).toBe(1);
    expect(await clinician.getByRole('button', { name: 'Suspend Willow' }).count()).toBe(1);
    expect(await sideways(clinician)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(clinician)).toEqual([]);
    await clinician.context().close();
    await member.context().close();
  });

  it('a notification names the thread, room and service; one whose thread was removed opens a plain page', async () => {
    const anna = await signedInPage(browser, base, 'anna', mobile);
    const board = ids.room('Eating disorders noticeboard');
    const [thread] = await t
      .db('threads')
      .insert({ room_id: board, author_id: ids.user('anna'), title: 'Evenings', body: 'Evenings are hard.' })
      .returning('id');
    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(`${base}/threads/${thread.id}`);
    await clinician.getByLabel('Your reply').fill('We can plan evenings together.');
    await clinician.getByRole('button', { name: 'Post reply' }).click();
    await clinician.waitForURL(/done=posted/);

    await anna.goto(`${base}/notifications`);
    const label = 'A staff member replied to your thread ‘Evenings’ in Eating disorders noticeboard (Eating Disorders)';
    expect(await anna.getByRole('button', { name: label }).count()).toBe(1);
    expect(await anna.getByText('We can plan evenings together.').count()).toBe(0);
    expect(await sideways(anna)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(anna)).toEqual([]);

    await t.db('threads').where({ id: thread.id }).update({ status: 'removed' });
    await anna.reload();
    expect(await anna.getByText('Evenings').count()).toBe(0);
    await anna.getByRole('button', { name: /A staff member replied to your thread .*\(no longer available\)/ }).click();
    await anna.waitForLoadState('load');
    expect(await anna.getByRole('heading', { name: 'This is no longer available' }).count()).toBe(1);
    expect(await anna.getByText('Evenings').count()).toBe(0);
    expect(await sideways(anna)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(anna)).toEqual([]);
    await anna.context().close();
    await clinician.context().close();
  });
});
