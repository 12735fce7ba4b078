/* global navigator */
// Registers the service worker (public/sw.js, served at /sw.js): it keeps the offline page with
// the crisis numbers and SHaRON's public static files, and nothing about anyone.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // No worker (a private window, or a browser that refuses): SHaRON works as before, without the offline page.
  });
}
