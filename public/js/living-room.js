// The living room, live: Socket.IO on top of the server-rendered page (which works without this).
// Messages are inserted with textContent only; focus is never moved; new messages are announced by
// the role="log" list (aria-live polite).
import { socket } from '/public/js/socket.js';

const root = document.getElementById('living-room');
const roomId = root.dataset.roomId;
const maxLength = Number(root.dataset.maxLength);
const canModerate = root.dataset.canModerate === '1';
const canReport = root.dataset.canReport === '1';
const list = document.getElementById('messages');
const form = document.getElementById('message-form');
const textarea = document.getElementById('body');
const status = document.getElementById('send-status');
const template = document.getElementById('message-template');
const csrf = form.querySelector('input[name="_csrf"]').value;

let lastSeenId = Math.max(
  0,
  ...[...list.querySelectorAll('[data-id]')].map((li) => Number(li.dataset.id)).filter((n) => n > 0),
);
const pending = new Map(); // clientId -> { body, li }
let activeSinceKeepalive = false;
let accountEnded = false; // suspended: the server said so; never reconnect

const WAITING = 'Waiting for a moderator';
const DECLINED = 'Not posted: a moderator declined it';

// The refusal vocabulary (src/http/refusals.ts): one sentence per code, the same as the server's forms.
const ERRORS = JSON.parse(root.dataset.refusals);

function timeText(iso) {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

function actionButton(label, hiddenLabel, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'sharon-link-button';
  b.textContent = label;
  const span = document.createElement('span');
  span.className = 'nhsuk-u-visually-hidden';
  span.textContent = ` ${hiddenLabel}`;
  b.append(span);
  b.addEventListener('click', onClick);
  return b;
}

function renderMessage(m, statusText) {
  const li = template.content.firstElementChild.cloneNode(true);
  const field = (name) => li.querySelector(`[data-field="${name}"]`);
  field('nickname').textContent = m.nickname;
  if (m.badge) {
    field('badge').textContent = m.badge;
    field('badge').hidden = false;
  }
  const time = field('time');
  time.dateTime = m.createdAt;
  time.textContent = timeText(m.createdAt);
  field('body').textContent = m.body;
  setStatus(li, statusText);
  if (m.id) {
    li.dataset.id = String(m.id);
    li.id = `message-${m.id}`;
    addActions(li, m);
  }
  return li;
}

function setStatus(li, text) {
  const s = li.querySelector('[data-field="status"]');
  s.textContent = text || '';
  s.hidden = !text;
}

function addActions(li, m) {
  const actions = li.querySelector('[data-field="actions"]');
  actions.replaceChildren();
  if (m.status === 'held' || m.status === 'declined') return;
  if (canReport) {
    const a = document.createElement('a');
    a.href = `/messages/${m.id}/report`;
    a.textContent = 'Report';
    const span = document.createElement('span');
    span.className = 'nhsuk-u-visually-hidden';
    span.textContent = ` message from ${m.nickname}`;
    a.append(span);
    actions.append(a);
  }
  if (canModerate) {
    actions.append(
      actionButton('Remove', `message from ${m.nickname}`, () =>
        moderate('message:remove', { messageId: m.id, reason: '' }),
      ),
    );
    actions.append(
      actionButton('Mute for 1 hour', m.nickname, () =>
        moderate('member:mute', { messageId: m.id, minutes: 60, reason: '' }),
      ),
    );
  }
}

function moderate(event, payload) {
  socket.timeout(10000).emit(event, payload, (err, reply) => {
    status.textContent =
      err || !reply.ok
        ? ERRORS[reply?.error] || ERRORS.internal
        : event === 'member:mute'
          ? 'The member was muted in this room for 1 hour.'
          : 'The message was removed.';
  });
}

function appendMessage(m) {
  const existing = list.querySelector(`[data-id="${m.id}"]`);
  if (existing) {
    // My held message was approved: it is now posted for everyone, in place.
    if (m.status === 'visible' && existing.querySelector('[data-field="status"]').textContent === WAITING) {
      setStatus(existing, '');
      addActions(existing, m);
      status.textContent = 'A moderator approved your message. Everyone in the room can see it now.';
    }
    if (m.status === 'declined') setStatus(existing, DECLINED);
    return;
  }
  document.getElementById('empty-room')?.remove();
  const li = renderMessage(m, m.status === 'held' ? WAITING : m.status === 'declined' ? DECLINED : '');
  const later = [...list.querySelectorAll('[data-id]')].find(
    (el) => Number(el.dataset.id) > m.id && !el.classList.contains('sharon-message--pending'),
  );
  list.insertBefore(li, later || firstPending());
  if (m.status === 'visible') lastSeenId = Math.max(lastSeenId, m.id); // catch-up is of visible messages
}

function firstPending() {
  return list.querySelector('.sharon-message--pending');
}

function showPresence(p) {
  const ul = document.getElementById('presence');
  ul.replaceChildren(
    ...p.people.map((person) => {
      const li = document.createElement('li');
      li.textContent = person.nickname;
      if (person.badge) {
        const tag = document.createElement('span');
        tag.className = 'nhsuk-tag nhsuk-tag--blue sharon-badge';
        tag.textContent = person.badge;
        li.append(' ', tag);
      }
      return li;
    }),
  );
  document.getElementById('staff-status').textContent = p.staffOnline
    ? 'A clinician or peer moderator is here now.'
    : 'No clinician or peer moderator is online right now.';
  document.getElementById('crisis').hidden = p.staffOnline;
}

// While the database cannot save (a restart, a failover), a message waits here and is sent again
// with the same client id (never a duplicate): after 2 s, then doubling up to 30 s.
function retryLater(clientId) {
  const item = pending.get(clientId);
  if (!item || item.timer) return;
  item.delay = Math.min(30000, (item.delay || 1000) * 2);
  item.timer = setTimeout(() => {
    item.timer = undefined;
    if (socket.connected) send(clientId);
  }, item.delay);
}

function send(clientId) {
  const item = pending.get(clientId);
  if (!item) return;
  window.clearTimeout(item.timer);
  item.timer = undefined;
  setStatus(item.li, 'Sending…');
  item.li.querySelector('[data-field="actions"]').replaceChildren();
  socket.timeout(10000).emit('message:send', { roomId, clientId, body: item.body }, (err, reply) => {
    if (err || !reply.ok) {
      const code = err ? 'timeout' : reply.error;
      if (code === 'timeout' && !socket.connected) return setStatus(item.li, 'Waiting to reconnect…');
      if (code === 'unavailable' || code === 'timeout') {
        setStatus(item.li, 'Kept here, not sent yet');
        status.textContent = ERRORS[code];
        retryLater(clientId);
        return;
      }
      setStatus(item.li, 'Not sent');
      status.textContent = ERRORS[code] || ERRORS.internal;
      item.li
        .querySelector('[data-field="actions"]')
        .append(actionButton('Try again', 'to send this message', () => send(clientId)));
      return;
    }
    pending.delete(clientId);
    const m = reply.data.message;
    item.li.remove();
    appendMessage(m);
    const li = list.querySelector(`[data-id="${m.id}"]`);
    setStatus(li, reply.data.held ? WAITING : 'Sent');
    status.textContent = reply.data.held
      ? 'Your message is waiting for a moderator to check it. Only you can see it until then.'
      : 'Message sent.';
    if (reply.data.support) {
      // The box the server rendered for who was told (nobody: the crisis contacts come first).
      const box = document.getElementById('live-support');
      for (const part of box.querySelectorAll('[data-told]')) part.hidden = part.dataset.told !== reply.data.told;
      box.hidden = false;
    }
  });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = textarea.value.trim();
  if (!body) return void (status.textContent = ERRORS.empty);
  if (body.length > maxLength) return void (status.textContent = ERRORS.too_long);
  const clientId = crypto.randomUUID();
  const li = renderMessage({ nickname: 'You', badge: null, createdAt: new Date().toISOString(), body }, 'Sending…');
  li.classList.add('sharon-message--pending');
  list.append(li);
  pending.set(clientId, { body, li });
  textarea.value = '';
  activeSinceKeepalive = true;
  send(clientId);
});
textarea.addEventListener('input', () => {
  activeSinceKeepalive = true;
});

// "Show earlier messages" loads the previous page in place.
const older = document.getElementById('older-link');
older?.addEventListener('click', (event) => {
  event.preventDefault();
  const first = list.querySelector('[data-id]');
  socket
    .timeout(10000)
    .emit('message:history', { roomId, beforeId: Number(first?.dataset.id || lastSeenId + 1) }, (err, reply) => {
      if (err || !reply.ok) return void (status.textContent = ERRORS.internal);
      for (const m of reply.data.messages.reverse()) list.insertBefore(renderMessage(m, ''), list.firstElementChild);
      if (!reply.data.hasOlder) older.parentElement.remove();
    });
});

// Joining (again) fetches whatever arrived since the last message seen: after a reconnect, and when
// the server says live delivery from other servers was interrupted (room:resync).
function join(attempt = 0) {
  socket.timeout(10000).emit('room:join', { roomId, ...(lastSeenId ? { afterId: lastSeenId } : {}) }, (err, reply) => {
    if (err || !reply.ok) {
      if ((err || reply.error === 'unavailable') && socket.connected)
        setTimeout(() => join(attempt + 1), Math.min(30000, 2000 * 2 ** attempt));
      return void (status.textContent =
        ERRORS[reply?.error] || 'Could not join the room live. The page still works: refresh to see new messages.');
    }
    for (const m of reply.data.messages) appendMessage(m);
    for (const m of reply.data.held) appendMessage(m); // my own held or declined ones, in place
    showPresence(reply.data.presence);
    for (const clientId of pending.keys()) send(clientId); // retries keep their client id: never a duplicate
  });
}
socket.on('connect', () => join());
socket.on('room:resync', () => join());
socket.on('disconnect', (reason) => {
  if (accountEnded) return;
  status.textContent = 'Connection lost. Reconnecting…';
  if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 2000);
});
socket.on('connect_error', () => {
  if (!accountEnded) status.textContent = 'Cannot reach SHaRON right now. Retrying…';
});
socket.on('message:new', (m) => {
  if (m.roomId === roomId) appendMessage(m);
});
socket.on('message:removed', ({ id }) => list.querySelector(`[data-id="${id}"]`)?.remove());
socket.on('message:declined', ({ id }) => {
  const li = list.querySelector(`[data-id="${id}"]`);
  if (!li) return;
  setStatus(li, DECLINED);
  li.querySelector('[data-field="actions"]').replaceChildren();
  status.textContent = 'A moderator declined your message. It was not posted: only you can see it.';
});
// The server says why before it closes the connection: say so plainly, show the crisis contacts,
// and stop trying to reconnect (the account's sessions have ended).
socket.on('account:suspended', () => {
  accountEnded = true;
  socket.io.opts.reconnection = false;
  socket.disconnect();
  form.hidden = true;
  document.getElementById('presence').replaceChildren();
  const notice = document.getElementById('account-suspended');
  notice.hidden = false;
  notice.tabIndex = -1;
  notice.focus(); // the room can no longer be used: the notice is where the person needs to be
});
socket.on('presence', (p) => {
  if (p.roomId === roomId) showPresence(p);
});
socket.on('mute', ({ roomId: r, until }) => {
  if (r === roomId) status.textContent = `A moderator has paused your messages in this room until ${timeText(until)}.`;
});
// Staff (on duty or not) hear of every alert in their services: the banner names the room and links
// to it; an alert on a member's questionnaire answer names the member and links to their page.
socket.on('alert:new', (a) => {
  const measure = a.about === 'measure';
  document.getElementById('staff-alert-text').textContent = measure
    ? `${a.nickname}'s answer to a questionnaire needs attention now.`
    : `A watched word was used by ${a.nickname} in ${a.roomName}.`;
  const toRoom = document.getElementById('staff-alert-room');
  toRoom.href = measure ? a.link : `/rooms/${a.roomId}`;
  toRoom.textContent = measure ? `Go to ${a.nickname}'s page` : `Go to ${a.roomName}`;
  document.getElementById('staff-alert-link').href = `/subnets/${a.subnetId}/moderation`;
  document.getElementById('staff-alert').hidden = false;
});

// Chatting counts as activity: keep the session alive while the person is here and active.
setInterval(
  () => {
    if (!activeSinceKeepalive) return;
    activeSinceKeepalive = false;
    fetch('/session/keepalive', {
      method: 'POST',
      headers: { 'x-csrf-token': csrf },
      credentials: 'same-origin',
    }).catch(() => undefined);
  },
  4 * 60 * 1000,
);
