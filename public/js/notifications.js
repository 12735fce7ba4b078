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
 * A banner at the top of the page, announced politely: it names the room (or, for an alert about a
 * person, their page: `a.link`, `a.name`), links to it and to the moderation queue. One banner per
 * room or page; a later alert there updates its words.
 */
function showAlert(text, a) {
  const main = document.getElementById('maincontent');
  const place = a.roomId ? { href: `/rooms/${a.roomId}`, name: a.roomName } : a.link && { href: a.link, name: a.name };
  if (!main || !place) return;
  const id = a.roomId ? `alert-${a.roomId}` : `alert-${place.href}`;
  const box = document.getElementById(id) || document.createElement('div');
  box.className = 'nhsuk-error-summary';
  box.id = id;
  box.setAttribute('role', 'status');
  const p = document.createElement('p');
  p.className = 'nhsuk-u-margin-bottom-2';
  p.textContent = text;
  const toRoom = document.createElement('a');
  toRoom.href = place.href;
  toRoom.textContent = `Go to ${place.name}`;
  const queue = document.createElement('a');
  queue.href = `/subnets/${a.subnetId}/moderation`;
  queue.textContent = 'Open the moderation queue';
  const links = document.createElement('p');
  links.append(toRoom, ' · ', queue);
  box.replaceChildren(p, links);
  if (!box.isConnected) main.prepend(box);
}

// The living room shows a new alert in its own banner (#staff-alert): not twice. An alert on a
// member's questionnaire answer (PHQ-9 item 9) is about a person, not a room: it links to their page.
socket.on('alert:new', (a) => {
  if (document.getElementById('staff-alert')) return;
  if (a.about === 'measure')
    showAlert(`${a.nickname}'s answer to a questionnaire needs attention now.`, { ...a, name: `${a.nickname}'s page` });
  else showAlert(`A watched word was used in ${a.roomName}: someone may need support now.`, a);
});
socket.on('alert:escalated', (a) =>
  a.roomId
    ? showAlert(`An alert in ${a.roomName} has waited too long without anyone acknowledging it.`, a)
    : showAlert('An alert has waited too long without anyone acknowledging it.', {
        ...a,
        link: `/subnets/${a.subnetId}/moderation#alerts`,
        name: 'the moderation queue',
      }),
);
