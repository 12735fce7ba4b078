import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { seriousViolations as serious, signedInPage, openBrowserSuite, closeBrowserSuite } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(
  async () => ({ t, base, browser, ids } = await openBrowserSuite(['--autoplay-policy=no-user-gesture-required'])),
);
afterAll(() => closeBrowserSuite({ t, browser }));

const signedIn = (username: string): Promise<Page> => signedInPage(browser, base, username);

describe('library and television in a real browser', () => {
  it('plays the First Step video with its captions showing', async () => {
    const page = await signedIn('clinician');
    await page.goto(`${base}/rooms/${ids.room('First Step television')}`);
    await page.getByRole('link', { name: 'Welcome to First Step' }).click();
    const video = page.locator('#player');
    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
      .toBeGreaterThan(0.5);
    const cue = await video.evaluate((v: HTMLVideoElement) => {
      const track = v.textTracks[0];
      return track
        ? { mode: track.mode, cues: track.cues?.length ?? 0, first: (track.cues?.[0] as VTTCue | undefined)?.text }
        : null;
    });
    expect(cue).toEqual({ mode: 'showing', cues: 3, first: 'Welcome to First Step.' });
    expect(await serious(page)).toEqual([]);
  });

  it('uploads a video with visible progress', async () => {
    const page = await signedIn('clinician');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sharon-e2e-'));
    const file = path.join(dir, 'calm.webm');
    writeFileSync(
      file,
      Buffer.concat([
        readFileSync(new URL('../../seeds/media/first-step-welcome.webm', import.meta.url)),
        Buffer.alloc(6 * 1024 * 1024),
      ]),
    );
    await page.goto(`${base}/rooms/${ids.room('First Step television')}/videos/new`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 5,
      downloadThroughput: -1,
      uploadThroughput: 2 * 1024 * 1024,
    });
    await page.getByLabel('Title').fill('A calm minute');
    await page.getByLabel('Video', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: 'Upload' }).click();
    const progress = page.locator('#upload-progress');
    await expect.poll(() => progress.isVisible()).toBe(true);
    await expect
      .poll(() => progress.evaluate((p: HTMLProgressElement) => p.value), { timeout: 10_000 })
      .toBeGreaterThan(0);
    const midway = await progress.evaluate((p: HTMLProgressElement) => p.value);
    expect(midway).toBeLessThan(100);
    expect(await page.locator('[data-upload-status]').textContent()).toMatch(/Uploaded \d+%|Starting upload/);
    await page.waitForURL(/\/videos\/[0-9a-f-]{36}\?done=1$/, { timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('A calm minute');
  });

  it('axe-core finds no serious violation on the library, an item, search, the television and the forms', async () => {
    const page = await signedIn('clinician');
    const found: Record<string, string[]> = {};
    await page.goto(`${base}/rooms/${ids.room('First Step library')}`);
    found.library = await serious(page);
    await page.getByRole('link', { name: 'What to expect from your first appointment' }).click();
    found.item = await serious(page);
    await page.goto(`${base}/library/search?q=appointment`);
    found.search = await serious(page);
    await page.goto(`${base}/rooms/${ids.room('First Step television')}`);
    found.television = await serious(page);
    await page.goto(`${base}/rooms/${ids.room('First Step library')}/items/new`);
    found['item form'] = await serious(page);
    await page.goto(`${base}/rooms/${ids.room('First Step television')}/videos/new`);
    found['video form'] = await serious(page);
    await page.goto(`${base}/subnets/${ids.subnet('first-step')}/needs-review`);
    found['needs review'] = await serious(page);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  });
});
