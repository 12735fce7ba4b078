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

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/** Writes a two-question questionnaire through the builder's own buttons and saves it. */
async function buildAndSave(page: Page, title: string, scripts = true): Promise<void> {
  await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/questionnaires`);
  await page.getByLabel('Title', { exact: true }).fill(title);
  const q1 = page.locator('#question-1');
  await q1.getByLabel('Question', { exact: true }).fill('Which evening helps most?');
  await q1.getByLabel('One of several options').check();
  await q1.getByLabel('Option 1', { exact: true }).fill('Monday');
  await q1.getByLabel('Option 2', { exact: true }).fill('Wednesday');
  await q1.getByRole('button', { name: 'Add option to question 1' }).click();
  await page.locator('#question-1').getByLabel('Option 3', { exact: true }).fill('Friday');
  await page.getByLabel('Members must answer this question').check();
  await page.getByRole('button', { name: 'Add another question' }).click();
  const q2 = page.locator('#question-2');
  await q2.getByLabel('Question', { exact: true }).fill('Anything else?');
  await q2.getByLabel('Free text').check();
  await page.getByRole('button', { name: 'Move up question 2' }).click();
  await expect.poll(() => page.locator('#q1-text').inputValue()).toBe('Anything else?');
  await page.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = page.locator('#preview');
  await expect.poll(() => preview.getByRole('radio', { name: 'Friday' }).count()).toBe(1);
  expect(await preview.getByText('Anything else? (optional)').count()).toBe(1);
  if (scripts) {
    // axe runs as a script in the page: checked with JavaScript on (the HTML is the same without).
    expect(await seriousViolations(page)).toEqual([]);
    expect(await noSidewaysScroll(page)).toBe(true);
  }
  await page.getByRole('button', { name: 'Save questionnaire' }).click();
  await page.waitForURL(/done=created/);
  expect(await page.getByText('Questionnaire saved.').count()).toBe(1);
}

async function storedQuestions(title: string) {
  const q = await t.db('questionnaires').where({ title }).first();
  return (await t.db('questions').where({ questionnaire_id: q.id }).orderBy('position')).map((r) => [
    r.kind,
    r.text,
    r.options,
    r.required,
  ]);
}

const EXPECTED = [
  ['free_text', 'Anything else?', null, false],
  ['single_choice', 'Which evening helps most?', ['Monday', 'Wednesday', 'Friday'], true],
];

describe('the questionnaire builder in a real browser', () => {
  it('with JavaScript: a clinician adds, reorders and previews questions without a page load, then saves', async () => {
    const page = await signedInPage(browser, base, 'clinician', { viewport: { width: 390, height: 844 } });
    let loads = 0;
    page.on('load', () => loads++);
    await buildAndSave(page, 'Evenings (JS)');
    expect(loads).toBe(2); // the builder page and the saved questionnaire: the builder's buttons did not reload
    expect(await storedQuestions('Evenings (JS)')).toEqual(EXPECTED);
    await page.context().close();
  });

  it('without JavaScript: the same buttons round-trip to the server with every value kept', async () => {
    // Signed in with JavaScript (the second factor's page), then the same session in a browser without it.
    await (await signedInPage(browser, base, 'clinician')).context().close();
    const page = await signedInPage(browser, base, 'clinician', { javaScriptEnabled: false });
    page.setDefaultTimeout(15_000);
    await page.goto(`${base}/`);
    expect(await page.evaluate(() => document.body.classList.contains('nhsuk-frontend-supported'))).toBe(false);
    await buildAndSave(page, 'Evenings (no JS)', false);
    expect(await storedQuestions('Evenings (no JS)')).toEqual(EXPECTED);
    await page.context().close();
  });

  it('a save with a problem puts the focus on the error summary, which links to the exact field', async () => {
    const page = await signedInPage(browser, base, 'clinician');
    await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/questionnaires`);
    await page.getByLabel('Title', { exact: true }).fill('Half written');
    await page.getByLabel('Question', { exact: true }).fill('Pick one');
    await page.getByLabel('One of several options').check();
    await page.getByRole('button', { name: 'Save questionnaire' }).click();
    await page.getByRole('link', { name: 'Question 1: give at least 2 options to choose from' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q1-option-1');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
