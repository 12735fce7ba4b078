import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The worker's precache list and cache name, as GET /sw.js writes them before its code. */
async function workerList(): Promise<{ version: string; urls: string[]; body: string }> {
  const res = await request(t.app).get('/sw.js').expect(200);
  const version = /^const VERSION = (".*");$/m.exec(res.text)?.[1];
  const urls = /^const PRECACHE = (\[.*\]);$/m.exec(res.text)?.[1];
  if (!version || !urls) throw new Error('no VERSION or PRECACHE in /sw.js');
  return { version: JSON.parse(version), urls: JSON.parse(urls), body: res.text };
}

describe('installing SHaRON', () => {
  it('serves the manifest as application/manifest+json with name, start_url, scope, standalone display, NHS colours and maskable icons', async () => {
    const res = await request(t.app).get('/manifest.webmanifest').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    const m = JSON.parse(res.text);
    expect(m).toMatchObject({ name: 'SHaRON', start_url: '/', scope: '/', display: 'standalone' });
    expect(m.theme_color).toBe('#005eb8');
    expect(
      m.icons.filter((i: { purpose: string }) => i.purpose === 'maskable').map((i: { sizes: string }) => i.sizes),
    ).toEqual(['192x192', '512x512']);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('serves the service worker from the root, revalidated on every check, with a precache list of public static files and the offline page only', async () => {
    const res = await request(t.app).get('/sw.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['service-worker-allowed']).toBe('/');
    const { version, urls } = await workerList();
    expect(version).toMatch(/^sharon-[0-9a-f]{16}$/);
    expect(urls).toContain('/offline');
    expect(urls).toContain('/public/css/sharon.css');
    expect(urls).toContain('/nhsuk/nhsuk-frontend.min.css');
    expect(urls).toContain('/public/icons/maskable-512.png');
    for (const url of urls) expect(url).toMatch(/^\/(offline$|public\/|nhsuk\/|assets\/)/);
    // Every listed file answers without a session, and none of them is no-store.
    for (const url of urls) {
      const file = await request(t.app).get(url).expect(200);
      expect(file.headers['cache-control'] ?? '').not.toMatch(/no-store/);
      expect(file.headers['set-cookie']).toBeUndefined();
    }
  });

  it('/offline is a public, cacheable page with 999, NHS 111 and Samaritans as tel: links, the same when signed in', async () => {
    const res = await request(t.app).get('/offline').expect(200);
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.text).toContain('<h1>You are offline</h1>');
    expect(res.text).toContain('It needs a connection for everything else');
    for (const tel of ['tel:999', 'tel:111', 'tel:116123']) expect(res.text).toContain(`href="${tel}"`);
    const anna = await signIn(t.app, 'anna');
    const signedIn = await anna.get('/offline').expect(200);
    expect(signedIn.text).toBe(res.text);
  });

  it('every page links the manifest, the theme colour, the apple-touch-icon and the script that registers the worker', async () => {
    const res = await request(t.app).get('/login').expect(200);
    expect(res.text).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(res.text).toContain('<meta name="theme-color" content="#005eb8">');
    expect(res.text).toContain('<link rel="apple-touch-icon" href="/public/icons/apple-touch-icon.png">');
    expect(res.text).toContain('<script type="module" src="/public/js/install.js"></script>');
  });
});

describe('ETags: public answers revalidate, signed-in pages carry none', () => {
  it.each(['/manifest.webmanifest', '/sw.js', '/offline', '/nhsuk/nhsuk-frontend.min.css'])(
    '%s has an ETag and answers 304 to a check that names it',
    async (url) => {
      const first = await request(t.app).get(url).expect(200);
      const tag = first.headers.etag as string | undefined;
      expect(tag).toMatch(/^W\/"/);
      await request(t.app).get(url).set('If-None-Match', String(tag)).expect(304);
      // The same tag for the same answer; a changed tag means a changed answer.
      expect((await request(t.app).get(url).expect(200)).headers.etag).toBe(tag);
    },
  );

  it('gives a compressed stylesheet its own tag, not the uncompressed one', async () => {
    const plain = await request(t.app).get('/nhsuk/nhsuk-frontend.min.css').set('Accept-Encoding', 'identity');
    const br = await request(t.app).get('/nhsuk/nhsuk-frontend.min.css').set('Accept-Encoding', 'br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).not.toBe(plain.headers.etag);
  });

  it('computes no ETag for a signed-in page (no-store: it is never checked again)', async () => {
    const agent = await signIn(t.app, 'anna');
    const lobby = await agent.get('/').expect(200);
    expect(lobby.headers['cache-control']).toBe('no-store');
    expect(lobby.headers.etag).toBeUndefined();
  });
});
