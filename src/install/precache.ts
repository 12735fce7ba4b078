import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ICONS } from './manifest.js';

/**
 * What the service worker may keep: public static files that say nothing about anyone, and the
 * offline page. Nothing else is ever put in a cache (signed-in pages, JSON, uploaded files), so
 * this list is the whole of what a phone holds for SHaRON.
 */
export const OFFLINE_PATH = '/offline';

export interface Precache {
  /** The cache's name: changes whenever a listed file or the offline page changes. */
  version: string;
  /** URL paths, each fetched once when the service worker installs. */
  urls: string[];
}

/** The static files to precache, as [URL path, file on disk]. */
export function staticAssets(root: string): [string, string][] {
  const nhsuk = path.join(root, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
  const own = (folder: string, ext: string): [string, string][] =>
    readdirSync(path.join(root, 'public', folder))
      .filter((f) => f.endsWith(ext))
      .sort()
      .map((f) => [`/public/${folder}/${f}`, path.join(root, 'public', folder, f)]);
  return [
    ['/nhsuk/nhsuk-frontend.min.css', path.join(nhsuk, 'nhsuk-frontend.min.css')],
    ['/nhsuk/nhsuk-frontend.min.js', path.join(nhsuk, 'nhsuk-frontend.min.js')],
    ['/assets/images/favicon.svg', path.join(nhsuk, 'assets', 'images', 'favicon.svg')],
    ...own('css', '.css'),
    ...own('js', '.js'),
    ...ICONS.map(({ src }): [string, string] => [src, path.join(root, src)]),
    ['/public/icons/apple-touch-icon.png', path.join(root, 'public', 'icons', 'apple-touch-icon.png')],
  ];
}

/**
 * The precache list and its version: a hash of the service worker's own code, every listed file
 * and the offline page as served, so a new release (or a changed crisis line) replaces old caches.
 */
export function buildPrecache(root: string, workerCode: string, offlineHtml: string): Precache {
  const assets = staticAssets(root);
  const hash = createHash('sha256').update(workerCode).update(offlineHtml);
  for (const [url, file] of assets) hash.update(url).update(readFileSync(file));
  return { version: `sharon-${hash.digest('hex').slice(0, 16)}`, urls: [OFFLINE_PATH, ...assets.map(([url]) => url)] };
}
