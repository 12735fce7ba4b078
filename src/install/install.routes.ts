import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type Application } from 'express';
import { webAppManifest } from './manifest.js';
import { buildPrecache, OFFLINE_PATH, type Precache } from './precache.js';
import { sendWithETag } from '../http/compression.js';

/** What the offline page's header and footer read: nobody is signed in, there is no menu. */
const OFFLINE_LOCALS = { title: 'You are offline', currentUser: null, nav: [], path: OFFLINE_PATH };

function renderOffline(app: Application): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render('install/offline', OFFLINE_LOCALS, (err, html) => (err ? reject(err) : resolve(html))),
  );
}

/**
 * Installing SHaRON on a phone: GET /manifest.webmanifest, GET /sw.js (the service worker, at the
 * root so that its scope is the whole site) and GET /offline (the page shown when there is no
 * connection, with the crisis contacts). Mounted before sessions: all three are the same for
 * everyone, never touch a session, and may be cached.
 */
export function installRoutes({ root, isProduction }: { root: string; isProduction: boolean }): Router {
  const r = Router();
  const workerCode = readFileSync(path.join(root, 'public', 'sw.js'), 'utf8');
  // Built on first request (the offline page is rendered by the app), then kept for the process.
  let precache: Promise<Precache> | undefined;
  const maxAge = isProduction ? 3600 : 0;

  r.get('/manifest.webmanifest', (_req, res) => {
    res.type('application/manifest+json').set('Cache-Control', `public, max-age=${maxAge}`);
    sendWithETag(res, JSON.stringify(webAppManifest()));
  });

  r.get('/sw.js', async (req, res) => {
    precache ??= renderOffline(req.app)
      .then((html) => buildPrecache(root, workerCode, html))
      .catch((err: unknown) => {
        precache = undefined; // a failed build is tried again on the next request, not kept
        throw err;
      });
    const { version, urls } = await precache;
    // Browsers check for a new worker on every visit; no-cache makes that check reach us.
    res.type('text/javascript').set({ 'Cache-Control': 'no-cache', 'Service-Worker-Allowed': '/' });
    sendWithETag(
      res,
      `const VERSION = ${JSON.stringify(version)};\nconst PRECACHE = ${JSON.stringify(urls)};\n${workerCode}`,
    );
  });

  r.get(OFFLINE_PATH, (_req, res, next) => {
    res.set('Cache-Control', `public, max-age=${maxAge}`);
    res.render('install/offline', OFFLINE_LOCALS, (err: unknown, html: string) =>
      err ? next(err) : sendWithETag(res, html),
    );
  });
  return r;
}
