// The moderation queue, live: when another moderator's action or a new report, held message or
// alert changes this subnet's queue (this room's, when filtered), a polite status line says so with
// a "Show" link. Nothing reloads by itself, so a half-typed reason or an open choice is never lost.
// Without JavaScript the page is the same, minus the line. Nothing private travels in the event.
import { socket } from '/public/js/socket.js';

const box = document.getElementById('queue-live');
if (box) {
  const { subnetId, roomId, href } = box.dataset;
  let added = 0;
  let handled = 0;
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  const show = () => {
    const parts = [];
    if (added) parts.push(plural(added, 'new item', 'new items'));
    if (handled) parts.push(`${plural(handled, 'item', 'items')} dealt with by someone else`);
    const p = document.createElement('p');
    p.textContent = `${parts.join(' and ')}. `;
    const link = document.createElement('a');
    link.href = href;
    link.textContent = 'Show';
    const hidden = document.createElement('span');
    hidden.className = 'nhsuk-u-visually-hidden';
    hidden.textContent = ' the latest queue';
    link.append(hidden);
    p.append(link);
    box.className = 'nhsuk-inset-text';
    box.replaceChildren(p);
  };

  const ours = (e) => e && e.subnetId === subnetId && (!roomId || !e.roomId || e.roomId === roomId);
  socket.on('queue:changed', (e) => {
    if (!ours(e)) return;
    if (e.change === 'handled') handled += 1;
    else added += 1;
    show();
  });
  socket.on('alert:new', (a) => {
    if (!ours(a)) return;
    added += 1;
    show();
  });
}
