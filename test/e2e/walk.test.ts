import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations, signInOn, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

const signIn = (page: Page, username: string): Promise<void> => signInOn(page, base, username);

describe('walking the building in a real browser', () => {
  it("anna signs in, sees her lobby, opens her living room, and bella's living room is not found", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/.test(m.text()) && !/assets\.nhs\.uk/.test(m.text()))
        cspErrors.push(m.text());
    });
    await signIn(page, 'anna');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your rooms');
    expect(await page.getByRole('link', { name: 'Bulimia living room' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Anorexia living room' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Anorexia living room');
    const res = await page.goto(`${base}/rooms/${ids.room('Bulimia living room')}`);
    expect(res?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('axe-core finds no serious or critical violation on the login, lobby, room and admin pages', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    const found: Record<string, string[]> = { login: await seriousViolations(page) };
    await page.getByRole('button', { name: 'Sign in' }).click();
    found['login with errors'] = await seriousViolations(page);
    await signIn(page, 'clinician');
    found.lobby = await seriousViolations(page);
    await page.goto(`${base}/rooms/${ids.room('Anorexia living room')}`);
    found.room = await seriousViolations(page);
    await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/keys`);
    found.keys = await seriousViolations(page);
    await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/members`);
    found.members = await seriousViolations(page);
    await context.close();
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, 'admin');
    for (const [name, path] of [
      ['admin', '/admin'],
      ['admin subnet', `/admin/subnets/${ids.subnet('eating-disorders')}`],
      ['admin room', `/admin/rooms/${ids.room('Anorexia living room')}`],
      ['admin staff', '/admin/staff/new'],
      ['admin accounts', '/admin/accounts'],
      ['admin audit', '/admin/audit'],
    ] as const) {
      await admin.goto(`${base}${path}`);
      found[name] = await seriousViolations(admin);
    }
    await adminContext.close();
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });

  it('a clinician issues a key and a new person uses the link to join', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, 'clinician');
    await page.getByText('All staff pages for Eating Disorders').click(); // the staff home keeps them in a details element
    await page.getByRole('link', { name: 'Keys for Eating Disorders' }).click();
    await page.getByLabel('Group').selectOption({ label: 'Bulimia' });
    await page.getByRole('button', { name: 'Issue key' }).click();
    const link = await page.locator('#key-link').textContent();
    await context.close();
    const visitor = await browser.newContext();
    const p = await visitor.newPage();
    await p.goto(String(link));
    await p.getByLabel('Choose a username').fill('browserjoiner');
    await p.getByLabel('Choose a nickname').fill('Silver Birch');
    await p.getByLabel('Choose a password').fill('a long enough passphrase');
    await p.getByRole('button', { name: 'Create my account' }).click();
    await p.waitForURL(/\/\?welcome=1$/);
    expect(await p.getByRole('link', { name: 'Bulimia living room' }).count()).toBe(1);
    expect(await p.getByRole('link', { name: 'Anorexia living room' }).count()).toBe(0);
    await visitor.close();
  });
});
