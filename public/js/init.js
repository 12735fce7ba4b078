// Starts the NHS.UK frontend components (served by the app, no CDN).
import { initAll } from '/nhsuk/nhsuk-frontend.min.js';

// The design system's usual inline snippet, here because our CSP allows no inline script.
document.body.classList.add('nhsuk-frontend-supported');
initAll();
