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

/**
 * A banner at the top of the page, announced politely: it names the room, links to it and to the
 * moderation queue. One banner per room; a later alert in the same room updates its words.
 */
function showAlert(text, a) {
  const main = document.getElementById('maincontent');
  if (!main || !a.roomId) return;
  const id = `alert-${a.roomId}`;
  const box = document.getElementById(id) || document.createElement('div');
  box.className = 'nhsuk-error-summary';
  box.id = id;
  box.setAttribute('role', 'status');
  const p = document.createElement('p');
  p.className = 'nhsuk-u-margin-bottom-2';
  p.textContent = text;
  const toRoom = document.createElement('a');
  toRoom.href = `/rooms/${a.roomId}`;
  toRoom.textContent = `Go to ${a.roomName}`;
  const queue = document.createElement('a');
  queue.href = `/subnets/${a.subnetId}/moderation`;
  queue.textContent = 'Open the moderation queue';
  const links = document.createElement('p');
  links.append(toRoom, ' · ', queue);
  box.replaceChildren(p, links);
  if (!box.isConnected) main.prepend(box);
}

// The living room shows a new alert in its own banner (#staff-alert): not twice.
socket.on('alert:new', (a) => {
  if (!document.getElementById('staff-alert'))
    showAlert(`A watched word was used in ${a.roomName}: someone may need support now.`, a);
});
socket.on('alert:escalated', (a) =>
  showAlert(`An alert in ${a.roomName} has waited too long without anyone acknowledging it.`, a),
);
