import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage } from '../helpers/factories.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

/** What a screen reader announces with the room's link: its accessible description. */
async function describedBy(page: Page, linkName: string): Promise<string> {
  const link = page.getByRole('link', { name: linkName, exact: true });
  const id = (await link.getAttribute('aria-describedby')) ?? '';
  return ((await page.locator(`[id="${id}"]`).textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('the members’ lobby with life, in a real browser at 390 px', () => {
  it('anna sees who is in her living room now and what is new since her last visit, with no sideways scroll and axe clean', async () => {
    const room = ids.room('Anorexia living room');
    const anna = await signedInPage(browser, base, 'anna', { viewport: { width: 390, height: 844 } });
    const peermod = await signedInPage(browser, base, 'peermod');
    // peermod reads the living room live (its page joins the room's socket).
    await peermod.goto(`${base}/rooms/${room}`);
    // anna opens the room (her visit) and comes back to the lobby.
    await anna.goto(`${base}/rooms/${room}`);
    await anna.goto(`${base}/`);
    // Her living room's socket closes as she leaves it; until the server has seen that, she is still "here".
    // A socket still on long-polling when she left (a loaded machine, no upgrade yet) is noticed only
    // by the server's heartbeat: ping interval 25 s + ping timeout 20 s, so wait up to that bound.
    await expect
      .poll(
        async () => {
          await anna.reload();
          return describedBy(anna, 'Anorexia living room');
        },
        { timeout: 50_000, interval: 500 },
      )
      .toBe('1 person here now. Nothing new.');

    await makeMessage(t.db, { roomId: room, authorId: ids.user('peermod'), body: 'Evening all, how is everyone?' });
    await anna.reload();
    expect(await describedBy(anna, 'Anorexia living room')).toBe(
      '1 person here now. 1 new message since your last visit.',
    );
    // Counts, never the text of a message.
    expect(await anna.getByText('Evening all').count()).toBe(0);

    const overflow = await anna.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(anna)).toEqual([]);
    await anna.context().close();
    await peermod.context().close();
  });
});
