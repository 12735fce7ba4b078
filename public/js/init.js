// Starts the NHS.UK frontend components (served by the app, no CDN).
import { initAll } from '/nhsuk/nhsuk-frontend.min.js';

initAll();
