// The staff home ("What needs you now") kept current without a reload. Socket events only say that
// something changed in one of the person's services (never what or who); the page then asks the
// server for its summary again (GET /workspace/summary, checked against the policy like the page),
// swaps in the services whose numbers changed and says so, calmly, in a polite live region.
// Without JavaScript the page still works: it is current whenever it is loaded.
import { socket } from '/public/js/socket.js';

const live = document.getElementById('workspace-live');
const EVENTS = ['workspace:changed', 'queue:changed', 'alert:new', 'alert:escalated'];
let inFlight = false;
let again = false;

const sections = (root) => [...root.querySelectorAll('[data-live-subnet]')];
const idsOf = (root) =>
  sections(root)
    .map((s) => s.dataset.liveSubnet)
    .join(' ');

/** The waiting lines whose words changed ("1 held message"), for the live region: only what is new. */
function changedSentences(old, fresh) {
  const before = new Map(
    [...old.querySelectorAll('[data-waiting]')].map((r) => [r.dataset.waiting, r.dataset.sentence]),
  );
  return [...fresh.querySelectorAll('[data-waiting]')]
    .filter((r) => before.get(r.dataset.waiting) !== r.dataset.sentence)
    .map((r) => r.dataset.sentence);
}

/** Swaps one service's section, keeping keyboard focus on the same link when it was inside. */
function swap(old, fresh) {
  const focused = old.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  const next = document.importNode(fresh, true);
  old.replaceWith(next);
  if (focused) next.querySelector(`a[href="${focused}"]`)?.focus();
}

function apply(next) {
  if (!next) return;
  if (idsOf(document) !== idsOf(next)) {
    // A service was added or ended: the cards around the counts are the page's own, so say so.
    if (live) live.textContent = 'The services you work in have changed. Reload the page to see them.';
    return;
  }
  const said = [];
  const current = sections(document);
  sections(next).forEach((fresh, i) => {
    const old = current[i];
    if (!old || old.innerHTML === fresh.innerHTML) return;
    const changed = changedSentences(old, fresh);
    if (changed.length) said.push(`${fresh.dataset.name}: ${changed.join(', ')}.`);
    swap(old, fresh);
  });
  if (said.length && live) live.textContent = `Updated. ${said.join(' ')}`;
}

async function refresh() {
  if (inFlight) {
    again = true;
    return;
  }
  inFlight = true;
  try {
    const res = await fetch('/workspace/summary', { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (res.ok) {
      const doc = new window.DOMParser().parseFromString(await res.text(), 'text/html');
      apply(doc.getElementById('workspace-summary'));
    }
  } catch {
    // Offline for a moment: the next event, reconnect or minute tries again.
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

for (const event of EVENTS) socket.on(event, () => void refresh());
// Events sent before the socket joined (or while it was away) were missed: read the summary again.
socket.on('connect', () => {
  document.documentElement.dataset.workspaceLive = 'connected';
  void refresh();
});
// The ages ("oldest waiting 2 hours") move on with the clock.
setInterval(() => void refresh(), 60_000);
