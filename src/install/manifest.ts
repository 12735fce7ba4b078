/**
 * The web app manifest: what a phone needs to install SHaRON on its home screen. Colours are the
 * NHS palette (NHS blue for the bar, the page background for the splash screen).
 */
export const NHS_BLUE = '#005eb8';
export const NHS_PAGE_BACKGROUND = '#f0f4f5';

/** The icons in public/icons (drawn by scripts/make-icons.ts), as the manifest lists them. */
export const ICONS = [
  { src: '/public/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
  { src: '/public/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
  { src: '/public/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
  { src: '/public/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
] as const;

/** The manifest's members; the same for everyone (it names no person and no service). */
export function webAppManifest() {
  return {
    id: '/',
    name: 'SHaRON',
    short_name: 'SHaRON',
    description: 'SHaRON: Support, Hope and Recovery Online Network. Peer support from your NHS mental health service.',
    lang: 'en-GB',
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    theme_color: NHS_BLUE,
    background_color: NHS_PAGE_BACKGROUND,
    categories: ['health', 'medical'],
    icons: ICONS,
  };
}
