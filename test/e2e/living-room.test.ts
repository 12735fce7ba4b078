import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations as serious, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { refusalSentence } from '../../src/http/refusals.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

async function signedIn(
  username: string,
  opts: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const page = await signedInPage(browser, base, username, { viewport: { width: 390, height: 844 }, ...opts });
  return { context: page.context(), page };
}

describe('the living room in a real browser', () => {
  it('anna and the clinician chat live; the clinician shows as online with a badge and the crisis card goes away', async () => {
    const anna = await signedIn('anna');
    const room = `${base}/rooms/${ids.room('Anorexia living room')}`;
    await anna.page.goto(room);
    await expect
      .poll(() => anna.page.locator('#staff-status').textContent())
      .toBe('No clinician or peer moderator is online right now.');
    expect(await anna.page.locator('#crisis').isVisible()).toBe(true);
    const clinician = await signedIn('clinician');
    await clinician.page.goto(room);
    await expect
      .poll(() => anna.page.locator('#staff-status').textContent())
      .toBe('A clinician or peer moderator is here now.');
    expect(await anna.page.locator('#crisis').isVisible()).toBe(false);
    expect(await anna.page.locator('#presence').textContent()).toContain('Clinician');

    await anna.page.getByLabel('Your message').fill('Hello, is anyone there?\nIt is late.');
    await anna.page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => clinician.page.locator('#messages').textContent()).toContain('Hello, is anyone there?');
    await expect.poll(() => anna.page.locator('#send-status').textContent()).toBe('Message sent.');

    // Anna starts typing; the clinician's reply arrives without taking her focus or her draft.
    await anna.page.getByLabel('Your message').fill('I am half way through wri');
    await clinician.page.getByLabel('Your message').fill('I am here, Willow.');
    await clinician.page.getByRole('button', { name: 'Send' }).click();
    const reply = anna.page.locator('#messages li', { hasText: 'I am here, Willow.' });
    await expect.poll(() => reply.count()).toBe(1);
    expect(await reply.locator('.sharon-badge').textContent()).toBe('Clinician');
    expect(await anna.page.evaluate(() => document.activeElement?.id)).toBe('body');
    expect(await anna.page.getByLabel('Your message').inputValue()).toBe('I am half way through wri');
    expect(await anna.page.locator('#message-log').getAttribute('role')).toBe('log');

    // Live removal by staff.
    const annaMessage = clinician.page.locator('#messages li', { hasText: 'Hello, is anyone there?' });
    await annaMessage.getByRole('button', { name: /Remove/ }).click();
    await expect.poll(() => anna.page.locator('#messages li', { hasText: 'Hello, is anyone there?' }).count()).toBe(0);

    expect(await serious(anna.page)).toEqual([]);
    expect(await serious(clinician.page)).toEqual([]);
    await anna.context.close();
    await clinician.context.close();
  });

  it('a member sending into a room that has turned read-only is told so in the server\'s words, not "Something went wrong"', async () => {
    const roomId = ids.room('Bulimia living room');
    const bella = await signedIn('bella');
    await bella.page.goto(`${base}/rooms/${roomId}`);
    await expect.poll(() => bella.page.locator('#staff-status').textContent()).toMatch(/online|here now/);
    await t.db('rooms').where({ id: roomId }).update({ cover: 'read_only' });
    try {
      await bella.page.getByLabel('Your message').fill('Is anyone around tonight?');
      await bella.page.getByRole('button', { name: 'Send' }).click();
      const sentence = refusalSentence('read_only', t.config.chat);
      await expect.poll(() => bella.page.locator('#send-status').textContent()).toBe(sentence);
      expect(sentence).toContain('this room is read-only');
      expect(
        await bella.page.locator('#messages li', { hasText: 'Is anyone around tonight?' }).textContent(),
      ).toContain('Not sent');
    } finally {
      await t.db('rooms').where({ id: roomId }).update({ cover: 'open' });
      await bella.context.close();
    }
  });

  it('without JavaScript, the form posts a message and the page shows it', async () => {
    const bella = await signedIn('bella', { javaScriptEnabled: false });
    await bella.page.goto(`${base}/rooms/${ids.room('Bulimia living room')}`);
    await bella.page.getByLabel('Your message').fill('Posting without JavaScript');
    await bella.page.getByRole('button', { name: 'Send' }).click();
    await bella.page.waitForURL(/sent=1/);
    expect(await bella.page.locator('#messages').textContent()).toContain('Posting without JavaScript');
    expect(await bella.page.getByText('Message sent.').count()).toBe(1);
    await bella.context.close();
  });

  it('axe-core finds no serious violation on the moderation queue and watched-words pages', async () => {
    const clinician = await signedIn('clinician');
    await clinician.page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/moderation`);
    expect(await serious(clinician.page)).toEqual([]);
    await clinician.page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/watched-words`);
    expect(await serious(clinician.page)).toEqual([]);
    await clinician.context.close();
  });
});
