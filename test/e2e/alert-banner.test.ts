import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage } from '../helpers/factories.js';

// Issue 13 items 2 and 3 in a real browser: the alert banner names and links the room for staff
// who are there, whatever their duty; the sender reads who was told; the handover page.

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

describe('alerts reach the staff who are there, in a real browser', () => {
  it('an off-duty clinician in the Anorexia living room sees a banner naming the room and linking to it when anna writes "I want to end it all"', async () => {
    const roomId = ids.room('Anorexia living room');
    const room = `${base}/rooms/${roomId}`;
    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(room);
    const peermod = await signedInPage(browser, base, 'peermod'); // off duty too, on the lobby
    const anna = await signedInPage(browser, base, 'anna');
    await anna.goto(room);
    await expect
      .poll(() => anna.locator('#staff-status').textContent())
      .toBe('A clinician or peer moderator is here now.');
    await expect
      .poll(async () => (await t.realtime.staffOnline(ids.subnet('eating-disorders'))).includes(ids.user('peermod')))
      .toBe(true);
    expect(await t.db('duty_sessions').whereNull('ended_at').first()).toBeUndefined(); // nobody on duty

    await anna.getByLabel('Your message').fill('I want to end it all');
    await anna.getByRole('button', { name: 'Send' }).click();

    const banner = clinician.locator('#staff-alert');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.locator('#staff-alert-text').textContent()).toBe(
      'A watched word was used by Willow in Anorexia living room.',
    );
    const toRoom = banner.getByRole('link', { name: 'Go to Anorexia living room' });
    expect(await toRoom.getAttribute('href')).toBe(`/rooms/${roomId}`);
    expect(await clinician.locator(`#alert-${roomId}`).count()).toBe(0); // one banner, not two

    // Elsewhere (the lobby), the off-duty peer moderator's banner names and links the room too.
    const lobbyBanner = peermod.locator(`#alert-${roomId}`);
    await expect.poll(() => lobbyBanner.isVisible()).toBe(true);
    expect(await lobbyBanner.textContent()).toContain('A watched word was used in Anorexia living room');
    expect(await lobbyBanner.getByRole('link', { name: 'Go to Anorexia living room' }).getAttribute('href')).toBe(
      `/rooms/${roomId}`,
    );

    // Anna reads the truth: nobody is on duty, but a member of the team who is online was told.
    await expect.poll(() => anna.locator('#live-support').isVisible()).toBe(true);
    expect(await anna.locator('#live-support [data-told="online"]').isVisible()).toBe(true);
    expect(await anna.locator('#live-support [data-told="nobody"]').isVisible()).toBe(false);
    expect(await anna.locator('#live-support').textContent()).toContain(
      'a member of the team who is online has been told',
    );

    expect(await seriousViolations(clinician)).toEqual([]);
    expect(await seriousViolations(peermod)).toEqual([]);
    expect(await seriousViolations(anna)).toEqual([]);
    await toRoom.click();
    await clinician.waitForURL(room);
    for (const page of [clinician, peermod, anna]) await page.context().close();
  });

  it('going off duty with an open alert asks for a handover note on an accessible page; with one, the next page shows it', async () => {
    // An alert nobody has acknowledged yet, on a message of anna's.
    const messageId = await makeMessage(t.db, {
      roomId: ids.room('Anorexia living room'),
      authorId: ids.user('anna'),
      body: 'I want to end it all',
    });
    await t
      .db('alerts')
      .insert({ subnet_id: ids.subnet('eating-disorders'), message_id: messageId, matched: 'end it all' });
    const peermod = await signedInPage(browser, base, 'peermod');
    await peermod.getByRole('button', { name: 'Go on duty in Eating Disorders' }).click();
    await peermod.waitForURL(/\/handover\?duty=on$/);
    expect(await peermod.locator('#open-items').textContent()).toMatch(/\d+ unacknowledged alerts?/);
    await peermod.getByRole('button', { name: 'Go off duty' }).click();
    await peermod.waitForLoadState('domcontentloaded');
    expect(await peermod.locator('.nhsuk-error-summary').textContent()).toContain('Write a handover note');
    expect(await seriousViolations(peermod)).toEqual([]);
    await peermod
      .getByLabel('Handover note')
      .fill('Alert in the Anorexia living room not yet acknowledged: clinician to follow up.');
    await peermod.getByRole('button', { name: 'Go off duty' }).click();
    await peermod.waitForURL(/\/handover\?duty=off$/);
    expect(await peermod.locator('#last-handover').textContent()).toContain('clinician to follow up');
    await peermod.context().close();
  });
});
