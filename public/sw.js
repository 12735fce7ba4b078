/* global self, caches, Request, Response, URL, VERSION, PRECACHE */
// SHaRON's service worker. GET /sw.js serves this file after two lines the server writes:
// VERSION (the cache's name, a hash of everything listed) and PRECACHE (the URL paths to keep).
//
// What it keeps: ONLY the public static files in PRECACHE and the offline page, fetched once at
// install. Nothing is ever added at run time: no page (signed-in pages are personal), no JSON, no
// uploaded file. Page visits go to the network first; when the network fails, the offline page
// with the crisis numbers is shown instead of the browser's error.

const OFFLINE = '/offline';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(VERSION)
      // cache: 'reload' skips the browser's HTTP cache, so the copy kept is the current one.
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // Every older cache goes: a release may have changed a page the old one held.
      for (const name of await caches.keys()) if (name !== VERSION) await caches.delete(name);
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await self.clients.claim();
    })(),
  );
});

/** A page visit: the network (through the preload the browser already started), else the offline page. */
async function navigate(event) {
  try {
    const preloaded = await event.preloadResponse;
    return preloaded || (await fetch(event.request));
  } catch {
    const cache = await caches.open(VERSION);
    return (await cache.match(OFFLINE)) || Response.error();
  }
}

/** A precached static file: the network first (never stale online), the kept copy offline. */
async function staticFile(request) {
  try {
    return await fetch(request);
  } catch {
    const cache = await caches.open(VERSION);
    return (await cache.match(request, { ignoreSearch: true })) || Response.error();
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') event.respondWith(navigate(event));
  else if (PRECACHE.includes(url.pathname)) event.respondWith(staticFile(request));
  // Anything else (JSON, files, sockets) is the browser's own business: never touched, never kept.
});
