// Live signals for every signed-in page: the header's unread count, and (for staff) watched-word
// alerts and escalations. Nothing private travels here: notifications never carry message text.
import { socket } from '/public/js/socket.js';

const badge = document.getElementById('unread-count');

socket.on('notification:new', () => {
  if (!badge) return;
  const next = (Number.parseInt(badge.textContent || '0', 10) || 0) + 1;
  badge.replaceChildren(String(next));
  const hidden = document.createElement('span');
  hidden.className = 'nhsuk-u-visually-hidden';
  hidden.textContent = ' unread';
  badge.append(hidden);
  badge.hidden = false;
});

/** A banner at the top of the page, announced politely, with a link to the moderation queue. */
function showAlert(text, subnetId) {
  const main = document.getElementById('maincontent');
  if (!main || document.getElementById(`alert-${subnetId}`)) return;
  const box = document.createElement('div');
  box.className = 'nhsuk-error-summary';
  box.id = `alert-${subnetId}`;
  box.setAttribute('role', 'status');
  const p = document.createElement('p');
  p.className = 'nhsuk-u-margin-bottom-2';
  p.textContent = text;
  const a = document.createElement('a');
  a.href = `/subnets/${subnetId}/moderation`;
  a.textContent = 'Open the moderation queue';
  box.append(p, a);
  main.prepend(box);
}

socket.on('alert:new', (a) => showAlert('A watched word was used: someone may need support now.', a.subnetId));
socket.on('alert:escalated', (a) => showAlert('An alert has waited too long without anyone acknowledging it.', a.subnetId));
