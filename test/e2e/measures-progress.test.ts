import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser, type MadeUser } from '../helpers/factories.js';
import { insertResponse } from '../helpers/measures.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
let member: MadeUser;

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

/** How far the page scrolls sideways (0 when it fits the screen). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

beforeAll(async () => {
  ({ t, base, browser, ids } = await openBrowserSuite());
  member = await makeUser(t.db, {
    nickname: 'Rowan Scores',
    subnetId: ids.subnet('eating-disorders'),
    cohortId: ids.cohort('eating-disorders/anorexia'),
  });
  const who = { userId: member.id, subnetId: ids.subnet('eating-disorders') };
  await insertResponse(t.db, who, PHQ_9, '2026-01-05', 18);
  await insertResponse(t.db, who, PHQ_9, '2026-02-02', 15, { '9': 1 });
  await insertResponse(t.db, who, PHQ_9, '2026-03-02', 'declined');
  await insertResponse(t.db, who, PHQ_9, '2026-03-30', 13);
  await insertResponse(t.db, who, GAD_7, '2026-01-05', 12);
  await insertResponse(t.db, who, GAD_7, '2026-03-30', 7);
  // An earlier answer in First Step, where Rowan started: the member's table names the service of each.
  await t.db('memberships').insert({
    user_id: member.id,
    subnet_id: ids.subnet('first-step'),
    cohort_id: ids.cohort('first-step/waiting'),
  });
  await insertResponse(t.db, { userId: member.id, subnetId: ids.subnet('first-step') }, PHQ_9, '2025-12-01', 20);
});
afterAll(() => closeBrowserSuite({ t, browser }));

describe('scores over time in a real browser', () => {
  it('a member’s progress page: the chart is an image named and described in words, the table has the scores, axe finds nothing', async () => {
    const page = await signedInPage(browser, base, member.username);
    await page.goto(`${base}/account`);
    await page.getByRole('link', { name: 'Your progress: your questionnaire scores over time' }).click();
    expect(new URL(page.url()).pathname).toBe('/measures/progress');
    const chart = page.getByRole('img', { name: 'Your PHQ-9 scores over time' });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await chart.evaluate((el) => el.getAttribute('aria-labelledby'))).toBe(
      'progress-phq-9-title progress-phq-9-desc',
    );
    expect(await page.locator('#progress-phq-9-desc').textContent()).toContain(
      'Your first score was 20 (Severe) and your latest was 13 (Moderate), 7 points lower than your first.',
    );
    const table = page.getByRole('table', { name: 'Your PHQ-9 scores' });
    expect(await table.getByRole('row').allInnerTexts()).toEqual([
      'Date\tScore\tRange\tService',
      '1 December 2025\t20\tSevere\tFirst Step',
      '5 January 2026\t18\tModerately severe\tEating Disorders',
      '2 February 2026\t15\tModerately severe\tEating Disorders',
      '30 March 2026\t13\tModerate\tEating Disorders',
    ]);
    expect(await page.getByRole('img', { name: 'Your GAD-7 scores over time' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('on a 390 px phone the chart scales to the screen, nothing scrolls sideways, and axe finds nothing', async () => {
    const page = await signedInPage(browser, base, member.username, PHONE);
    await page.goto(`${base}/measures/progress`);
    const box = await page.getByRole('img', { name: 'Your PHQ-9 scores over time' }).boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.width).toBeLessThanOrEqual(390);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('the clinician’s member page: the Outcome measures section with its chart and flagged question 9, axe finds nothing, on a phone too', async () => {
    const path = `/subnets/${ids.subnet('eating-disorders')}/members/${member.id}`;
    for (const options of [{}, PHONE]) {
      const page = await signedInPage(browser, base, 'clinician', options);
      await page.goto(`${base}${path}`);
      expect(await page.getByRole('heading', { name: 'Outcome measures' }).count()).toBe(1);
      expect(await page.getByRole('img', { name: 'PHQ-9 (Depression) totals over time' }).count()).toBe(1);
      const rows = await page.getByRole('table', { name: `PHQ-9 answers of ${member.nickname}` }).getByRole('row');
      expect(await rows.nth(2).innerText()).toContain('Flagged');
      expect(await page.locator('#reliable-change-phq-9').textContent()).toContain('No reliable change');
      expect(await page.locator('#reliable-change-gad-7').textContent()).toContain('Reliable improvement');
      expect(await seriousViolations(page)).toEqual([]);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      await page.context().close();
    }
  });
});
