// Keeps the header's unread count live: the server says "something new", the page asks nothing
// and shows no content from the socket (notifications never carry message text).
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
