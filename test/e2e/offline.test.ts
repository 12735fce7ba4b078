import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import {
  chromiumOptions,
  closeBrowserSuite,
  openBrowserSuite,
  seriousViolations,
  signedInPage,
} from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

/** Waits until this page is controlled by an activated SHaRON service worker; returns its state. */
async function controlled(page: Page): Promise<string | undefined> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
}

/** Every cache of the origin: its name, and per entry the URL path and the stored Cache-Control. */
function cacheContents(page: Page): Promise<{ name: string; entries: { path: string; cacheControl: string }[] }[]> {
  return page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const entries = [];
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        entries.push({
          path: new URL(request.url).pathname,
          cacheControl: response?.headers.get('cache-control') ?? '',
        });
      }
      out.push({ name, entries });
    }
    return out;
  });
}

/** The precache list and cache name GET /sw.js writes at the top of the worker. */
async function workerList(page: Page): Promise<{ version: string; urls: string[] }> {
  const text = await (await page.request.get(`${base}/sw.js`)).text();
  return {
    version: JSON.parse(/^const VERSION = (".*");$/m.exec(text)?.[1] ?? 'null'),
    urls: JSON.parse(/^const PRECACHE = (\[.*\]);$/m.exec(text)?.[1] ?? '[]'),
  };
}

const telLinks = (page: Page) =>
  page.locator('main a[href^="tel:"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));

describe('installable, with crisis help offline, in Chromium', () => {
  it('the manifest is valid: required members, NHS colours, and every icon answers 200 image/png of its stated size', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}/login`);
    // Chromium's own reading of the page's manifest: where it found it, and what it could not parse.
    const cdp = await page.context().newCDPSession(page);
    const seen = await cdp.send('Page.getAppManifest');
    expect(seen.url).toBe(`${base}/manifest.webmanifest`);
    expect(seen.errors).toEqual([]);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const res = await page.request.get(new URL(href ?? '', base).href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^application\/manifest\+json/);
    const m = await res.json();
    expect(m).toMatchObject({
      name: 'SHaRON',
      short_name: 'SHaRON',
      start_url: '/',
      scope: '/',
      display: 'standalone',
    });
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(m.theme_color);
    const icons: { src: string; sizes: string; type: string; purpose: string }[] = m.icons;
    expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
      '192x192 any',
      '192x192 maskable',
      '512x512 any',
      '512x512 maskable',
    ]);
    const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    for (const icon of [...icons, { src: touchIcon ?? '', sizes: '180x180', type: 'image/png' }]) {
      const img = await page.request.get(new URL(icon.src, base).href);
      expect(img.status(), icon.src).toBe(200);
      expect(img.headers()['content-type']).toBe('image/png');
      const png = await img.body();
      // The PNG signature, then the IHDR chunk: width and height as 32-bit big-endian integers.
      expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
      expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
      expect(icon.type).toBe('image/png');
    }
    await page.context().close();
  });

  it('Chromium finds SHaRON installable from the sign-in page: no installability error', async () => {
    // A profile on disk: Playwright's browser.newContext() is off the record, and there Chromium
    // answers only 'in-incognito', which would hide a broken manifest, icon or worker. No error is
    // allowed: 127.0.0.1 counts as a secure origin, so plain HTTP raises none.
    const profile = await mkdtemp(path.join(os.tmpdir(), 'sharon-install-'));
    const context = await chromium.launchPersistentContext(profile, chromiumOptions());
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${base}/login`);
      expect(await controlled(page)).toBe('activated');
      const cdp = await context.newCDPSession(page);
      expect((await cdp.send('Page.getAppManifest')).url).toBe(`${base}/manifest.webmanifest`);
      expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  it('the service worker registers and activates, and deletes a cache left by an older version', async () => {
    const page = await (await browser.newContext()).newPage();
    // A page without scripts (the manifest) is enough to reach the origin's caches before any worker.
    await page.goto(`${base}/manifest.webmanifest`);
    await page.evaluate(async () => (await caches.open('sharon-0000000000000000')).put('/old', new Response('old')));
    await page.goto(`${base}/login`);
    expect(await controlled(page)).toBe('activated');
    const { version, urls } = await workerList(page);
    const contents = await cacheContents(page);
    expect(contents.map((c) => c.name)).toEqual([version]);
    expect(contents[0]?.entries.map((e) => e.path).sort()).toEqual([...urls].sort());
    await page.context().close();
  });

  it('with the network cut, opening / or a room shows the offline page, styled, with 999, 111 and 116 123 as tel: links; axe finds no serious violation', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await controlled(page);
    await context.setOffline(true);
    for (const path of ['/', `/rooms/${ids.room('Anorexia living room')}`]) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(path);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You are offline');
      expect(await page.getByText('It needs a connection for everything else').count()).toBe(1);
      expect(await telLinks(page)).toEqual(['tel:999', 'tel:111', 'tel:116123']);
      // NHS 111 is the mental health line only through option 2: the page must say so, in words.
      const nhs111 = page.locator('main li:has(a[href="tel:111"])');
      expect(await nhs111.isVisible()).toBe(true);
      expect(await nhs111.innerText()).toBe(
        'For urgent mental health help, call NHS 111 and choose option 2, day or night.',
      );
      expect(
        await nhs111
          .locator('a')
          .evaluateAll((links) => links.map((a) => `${a.textContent} ${a.getAttribute('href')}`)),
      ).toEqual(['111 tel:111']);
      // The design system's CSS came from the cache: the header is NHS blue.
      expect(await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor)).toBe('rgb(0, 94, 184)');
    }
    expect(await seriousViolations(page)).toEqual([]);
    await context.setOffline(false);
    await page.goto(`${base}/`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toBe('You are offline');
    await context.close();
  });

  it('after a member signs in and browses, no signed-in page and nothing that was no-store is in any cache', async () => {
    const page = await signedInPage(browser, base, 'anna');
    await controlled(page);
    const visited = ['/', `/rooms/${ids.room('Anorexia living room')}`, '/help', '/notifications', '/account'];
    for (const path of visited) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status(), path).toBe(200);
      expect(res?.headers()['cache-control'], path).toBe('no-store');
    }
    const { urls } = await workerList(page);
    const contents = await cacheContents(page);
    expect(contents).toHaveLength(1);
    const entries = contents.flatMap((c) => c.entries);
    for (const e of entries) {
      expect(urls, e.path).toContain(e.path);
      expect(e.cacheControl, e.path).not.toMatch(/no-store/);
    }
    for (const path of visited) expect(entries.map((e) => e.path)).not.toContain(path);
    // The one page kept says nothing about anyone.
    const offline = await page.evaluate(async () => (await (await caches.match('/offline'))?.text()) ?? '');
    expect(offline).toContain('You are offline');
    expect(offline).not.toContain('Signed in as');
    await page.context().close();
  });
});
