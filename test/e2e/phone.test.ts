import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

/** How far the page scrolls sideways (0 when it fits the screen). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * Controls a thumb must hit that are smaller than 44 × 44 CSS pixels: buttons, form fields, the
 * design system's button-links and menu toggles. Links inside running text are exempt, as in WCAG
 * 2.5.8 (they size with the text), as are hidden controls.
 */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const selector =
      'button, select, textarea, summary, a.nhsuk-button, .nhsuk-header__account-link, input:not([type=hidden]):not([type=checkbox]):not([type=radio])';
    return [...document.querySelectorAll<HTMLElement>(selector)]
      .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.height < 44 || box.width < 44))
      .map(
        ({ el, box }) =>
          `${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute('name') ?? '').trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  });

describe('on a phone (390 px wide)', () => {
  const pages: [string, string, () => string][] = [
    ["the clinician's home", 'clinician', () => '/'],
    ['the living room', 'anna', () => `/rooms/${ids.room('Anorexia living room')}`],
    ['the living room as staff', 'peermod', () => `/rooms/${ids.room('Anorexia living room')}`],
    ['the moderation queue', 'clinician', () => `/subnets/${ids.subnet('eating-disorders')}/moderation`],
  ];
  for (const [name, user, path] of pages) {
    it(`${name} fits the screen with no sideways scrolling and touch targets of at least 44 px`, async () => {
      const page = await signedInPage(browser, base, user, PHONE);
      const res = await page.goto(`${base}${path()}`);
      expect(res?.status()).toBe(200);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
      expect(await smallTargets(page)).toEqual([]);
      await page.context().close();
    });
  }
});
