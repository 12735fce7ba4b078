import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from './constants.js';
import { startTestApp, type TestApp } from './app.js';
import { demoIds } from './demo.js';

type DemoIds = Awaited<ReturnType<typeof demoIds>>;
import { nextStep, STAFF, totpCode } from './totp.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Headless Debian Chromium (CHROMIUM_PATH to change), with this machine's closed-network flags. */
export const chromiumOptions = (extraArgs: string[] = []) => ({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...extraArgs,
  ],
});

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch(chromiumOptions(extraArgs));
}

// A staff member's TOTP code works once, so a staff sign-in is kept per browser and reused.
const staffStates = new WeakMap<Browser, Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>>();

/** A new browser context signed in through the real login form (staff: reused while alive). */
export async function signedInPage(
  browser: Browser,
  base: string,
  username: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const saved = STAFF.has(username) ? staffStates.get(browser)?.get(username) : undefined;
  if (saved) {
    const page = await (await browser.newContext({ ...options, storageState: saved })).newPage();
    await page.goto(`${base}/`);
    if (page.url() === `${base}/`) return page;
    await page.context().close();
  }
  const page = await (await browser.newContext(options)).newPage();
  await signInOn(page, base, username);
  if (STAFF.has(username)) {
    if (!staffStates.has(browser)) staffStates.set(browser, new Map());
    staffStates.get(browser)?.set(username, await page.context().storageState());
  }
  return page;
}

/** Signs in through the real login form on this page, passing the second factor for staff. */
export async function signInOn(page: Page, base: string, username: string): Promise<void> {
  const landed: string[] = [];
  for (let tries = 0; tries < 3; tries++) {
    await page.goto(`${base}/login`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    // Wait for the answer to the form post itself, then for wherever it leads.
    await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/login` && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState('domcontentloaded');
    for (let attempt = 0; new URL(page.url()).pathname === '/login/two-factor' && attempt < 3; attempt++) {
      if (attempt > 0) nextStep();
      await page.getByLabel('Code').fill(await totpCode());
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
        page.getByRole('button', { name: 'Continue' }).click(),
      ]);
    }
    if (new URL(page.url()).pathname === '/') return;
    landed.push(page.url());
  }
  throw new Error(`sign-in as ${username} did not reach the lobby; it landed on ${landed.join(', ')}`);
}

/**
 * Runs axe-core (WCAG 2.0-2.2 A and AA rules) in the page and returns the serious and critical
 * violations as "rule: targets". axe is evaluated over the DevTools protocol, so our CSP need not allow it.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** A real server on 127.0.0.1 with its own database, the demo ids, and headless Chromium. */
export async function openBrowserSuite(
  extraArgs: string[] = [],
): Promise<{ t: TestApp; base: string; browser: Browser; ids: DemoIds }> {
  const t = await startTestApp();
  return { t, base: await t.listen(), ids: await demoIds(t.db), browser: await launchChromium(extraArgs) };
}

export async function closeBrowserSuite(s: { t?: TestApp; browser?: Browser }): Promise<void> {
  await s.browser?.close();
  await s.t?.close();
}
