import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

// A member's open living room follows what moderators do, without errors and in time order; a
// suspended member's open page says so plainly and shows the crisis contacts.

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
const HOLD_PHRASE = 'secret meeting place';

beforeAll(async () => {
  ({ t, base, browser, ids } = await openBrowserSuite());
  await t
    .db('watched_words')
    .insert({ subnet_id: ids.subnet('eating-disorders'), kind: 'phrase', pattern: HOLD_PHRASE, action: 'hold' });
});
afterAll(() => closeBrowserSuite({ t, browser }));

const mobile = { viewport: { width: 390, height: 844 } };

/** A page that records every uncaught script error. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function send(page: Page, body: string, expected: string): Promise<void> {
  await page.getByLabel('Your message').fill(body);
  await page.getByRole('button', { name: 'Send' }).click();
  await expect
    .poll(() => page.locator('#messages li', { hasText: body }).locator('[data-field="status"]').textContent())
    .toBe(expected);
}

const idsOf = (page: Page, bodies: string[]) =>
  Promise.all(
    bodies.map(async (b) => Number(await page.locator('#messages li', { hasText: b }).getAttribute('data-id'))),
  );
const statusOf = (page: Page, body: string) =>
  page.locator('#messages li', { hasText: body }).locator('[data-field="status"]');
const shownOrder = (page: Page) =>
  page.locator('#messages li[data-id]').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-id'))));

async function member(username: string, nickname: string): Promise<string> {
  return (
    await makeUser(t.db, {
      username,
      nickname,
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
    })
  ).id;
}

describe('the living room follows moderation in a real browser', () => {
  it("anna's held messages are approved and declined by a moderator in another browser: her page updates in place without errors and keeps id order after reload", async () => {
    const room = `${base}/rooms/${ids.room('Anorexia living room')}`;
    const anna = await signedInPage(browser, base, 'anna', mobile);
    const errors = watchErrors(anna);
    await anna.goto(room);
    const toApprove = `first, about the ${HOLD_PHRASE}`;
    const toDecline = `second, the ${HOLD_PHRASE} again`;
    const ordinary = 'third, an ordinary message';
    await send(anna, toApprove, 'Waiting for a moderator');
    await send(anna, toDecline, 'Waiting for a moderator');
    await send(anna, ordinary, 'Sent');
    const written = await idsOf(anna, [toApprove, toDecline, ordinary]);
    // Opened again, the held messages come from the server's page: moderation must update those too.
    await anna.reload();
    await expect.poll(() => anna.locator('#presence').textContent()).toContain('Willow'); // her page has joined live

    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/moderation`);
    const queued = (body: string) => clinician.locator('.sharon-queue-item', { hasText: body });
    expect(await queued(toApprove).textContent()).toContain(`Held by: The phrase “${HOLD_PHRASE}”`);
    await queued(toApprove)
      .getByRole('button', { name: /^Approve/ })
      .click();
    await clinician.waitForURL(/done=approved/);
    await queued(toDecline)
      .getByRole('button', { name: /^Decline/ })
      .click();
    await clinician.waitForURL(/done=declined/);

    await expect.poll(() => statusOf(anna, toApprove).isHidden()).toBe(true);
    await expect.poll(() => statusOf(anna, toDecline).textContent()).toBe('Not posted: a moderator declined it');
    expect(await anna.locator('#send-status').textContent()).toBe(
      'A moderator declined your message. It was not posted: only you can see it.',
    );
    expect(await anna.locator('#messages li', { hasText: toApprove }).count()).toBe(1);
    expect((await shownOrder(anna)).filter((id) => written.includes(id))).toEqual(written);

    await anna.reload();
    expect((await shownOrder(anna)).filter((id) => written.includes(id))).toEqual(written);
    expect(await statusOf(anna, toApprove).isHidden()).toBe(true);
    expect(await statusOf(anna, toDecline).textContent()).toBe('Not posted: a moderator declined it');
    expect(errors).toEqual([]);
    expect(await seriousViolations(anna)).toEqual([]);
    await anna.context().close();
    await clinician.context().close();
  });

  it('a suspension asks for a reason; the suspended member\'s open room says so with the crisis contacts, and drops from another member\'s "In the room now" at once', async () => {
    const fernId = await member('fern', 'Fern');
    const room = `${base}/rooms/${ids.room('Anorexia living room')}`;
    const fern = await signedInPage(browser, base, 'fern', mobile);
    const errors = watchErrors(fern);
    await fern.goto(room);
    const anna = await signedInPage(browser, base, 'anna', mobile);
    await anna.goto(room);
    await expect.poll(() => anna.locator('#presence').textContent()).toContain('Fern');

    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/members/${fernId}`);
    await clinician.getByRole('button', { name: 'Suspend Fern' }).click();
    await clinician.waitForURL(/\/suspend$/);
    expect(await clinician.locator('h1').textContent()).toBe('Suspend Fern?');
    await clinician.getByRole('button', { name: 'Suspend Fern' }).click();
    await clinician.waitForLoadState('domcontentloaded');
    expect(await clinician.locator('.nhsuk-error-summary').textContent()).toContain(
      'Say why you are suspending this account',
    );
    expect(await seriousViolations(clinician)).toEqual([]);
    expect(await fern.locator('#account-suspended').isHidden()).toBe(true); // nothing happened yet
    await clinician.getByLabel('Why are you suspending Fern?').fill('Testing: hostile messages after a warning');
    await clinician.getByRole('button', { name: 'Suspend Fern' }).click();
    await clinician.waitForURL(/done=suspended/);
    expect(await clinician.getByText('The account was suspended and signed out everywhere.').count()).toBe(1);

    const notice = fern.locator('#account-suspended');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('Your account has been suspended');
    expect(await notice.locator('a[href="tel:116123"]').count()).toBe(1);
    expect(await notice.locator('a[href="tel:999"]').count()).toBe(1);
    expect(await fern.locator('#message-form').isHidden()).toBe(true);
    expect(await fern.locator('#send-status').textContent()).not.toContain('Retrying');
    await expect.poll(() => anna.locator('#presence').textContent(), { timeout: 2000 }).not.toContain('Fern');
    expect(errors).toEqual([]);
    expect(await seriousViolations(fern)).toEqual([]);
    for (const p of [fern, anna, clinician]) await p.context().close();
  });
});
