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

describe('safety and evidence pages in a real browser', () => {
  it('axe-core finds no serious violation on the dashboard, the crisis page, the duty log, questionnaires and a member page', async () => {
    const clinician = await signedInPage(browser, base, 'clinician');
    const found: Record<string, string[]> = {};
    for (const [name, path] of [
      ['crisis page', '/help'],
      ['duty log', `/subnets/${ids.subnet('eating-disorders')}/duty`],
      ['questionnaires', `/subnets/${ids.subnet('eating-disorders')}/questionnaires`],
      ['member page', `/subnets/${ids.subnet('eating-disorders')}/members/${ids.user('anna')}`],
      ['lobby with duty controls', '/'],
      ['dashboard', `/evaluation?subnet=${ids.subnet('eating-disorders')}`],
    ] as const) {
      await clinician.goto(`${base}${path}`);
      found[name] = await seriousViolations(clinician);
    }
    expect(await clinician.locator('svg[role="img"] title').count()).toBeGreaterThan(0);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });
});
