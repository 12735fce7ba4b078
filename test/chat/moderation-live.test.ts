import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { BUILTIN_LABELS } from '../../src/moderation/watched-words.js';
import { heldReasonLabel } from '../../src/moderation/held-reason.js';

// The live room follows moderation: approving, declining and removing reach the author's own page
// at once, by id, with what the page needs to update in place; held and declined messages keep
// their time order; moderators see which rule held each message.

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const cookies = new Map<string, string>();
const open: Socket[] = [];
const HOLD_PHRASE = 'secret meeting place';

beforeAll(async () => {
  t = await startTestApp({ CHAT_FLOOD_MESSAGES: '100' });
  base = await t.listen();
  ids = await demoIds(t.db);
  await t
    .db('watched_words')
    .insert({ subnet_id: ids.subnet('eating-disorders'), kind: 'phrase', pattern: HOLD_PHRASE, action: 'hold' });
  for (const u of ['anna', 'clinician']) cookies.set(u, await sessionCookie(base, u));
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.close();
});

const room = () => ids.room('Anorexia living room');
const queue = () => `/subnets/${ids.subnet('eating-disorders')}/moderation`;
type Message = { id: number; roomId: string; body: string; nickname: string; badge: string | null; status: string };
type Sent = { message: Message; held: boolean };

async function joined(user: string): Promise<Socket> {
  const s = openSocket(base, cookies.get(user) ?? null);
  open.push(s);
  await connected(s);
  expect((await ask(s, 'room:join', { roomId: room() })).ok).toBe(true);
  return s;
}

async function sent(s: Socket, body: string): Promise<Message> {
  const reply = await ask<Sent>(s, 'message:send', { roomId: room(), clientId: randomUUID(), body });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data.message;
}

async function moderate(id: number, action: 'approve' | 'decline' | 'remove'): Promise<void> {
  const clinician = await signIn(t.app, 'clinician');
  expect((await postForm(clinician, `/moderation/messages/${id}/${action}`, {}, queue())).status).toBe(303);
}

describe('the author sees moderation live', () => {
  it('approving a held message reaches its author (and the room) at once as posted, with its id, body and badge', async () => {
    const anna = await joined('anna');
    const staff = await joined('clinician');
    const toAnna = collect<Message>(anna, 'message:new');
    const toRoom = collect<Message>(staff, 'message:new');
    const held = await sent(anna, `is there a ${HOLD_PHRASE} near the clinic`);
    expect(held.status).toBe('held');
    expect(toRoom).toEqual([]); // held: nobody else sees it yet

    await moderate(held.id, 'approve');

    const expected = {
      id: held.id,
      roomId: room(),
      body: held.body,
      nickname: 'Willow',
      badge: null,
      status: 'visible',
    };
    await eventually(() => toAnna.some((m) => m.id === held.id));
    expect(toAnna.find((m) => m.id === held.id)).toMatchObject(expected);
    await eventually(() => toRoom.some((m) => m.id === held.id));
    expect(toRoom.find((m) => m.id === held.id)).toMatchObject(expected);
  });

  it('declining a held message reaches only its author, by id, marked declined', async () => {
    const anna = await joined('anna');
    const staff = await joined('clinician');
    const declined = collect<{ id: number; roomId: string; status: string }>(anna, 'message:declined');
    const staffDeclined = collect(staff, 'message:declined');
    const staffNew = collect<Message>(staff, 'message:new');
    const held = await sent(anna, `meet me at the ${HOLD_PHRASE}`);

    await moderate(held.id, 'decline');

    await eventually(() => declined.length > 0);
    expect(declined).toEqual([{ id: held.id, roomId: room(), status: 'declined' }]);
    expect(staffDeclined).toEqual([]);
    expect(staffNew.filter((m) => m.id === held.id)).toEqual([]);
    expect((await t.db('messages').where({ id: held.id }).first()).status).toBe('declined');
  });

  it('removing a posted or a held message reaches its author and the room at once, by id', async () => {
    const anna = await joined('anna');
    const staff = await joined('clinician');
    const toAnna = collect<{ id: number; roomId: string; status: string }>(anna, 'message:removed');
    const toRoom = collect<{ id: number }>(staff, 'message:removed');
    const posted = await sent(anna, 'a message a moderator will take down');
    const held = await sent(anna, `the ${HOLD_PHRASE} again`);

    expect(await ask(staff, 'message:remove', { messageId: posted.id, reason: '' })).toEqual({
      ok: true,
      data: { removed: true },
    });
    await moderate(held.id, 'remove');

    await eventually(() => toAnna.length === 2);
    expect(toAnna).toEqual([
      { id: posted.id, roomId: room(), status: 'removed' },
      { id: held.id, roomId: room(), status: 'removed' },
    ]);
    await eventually(() => toRoom.length === 2);
  });
});

describe('time order and the rule that held a message', () => {
  it('the room page shows my held and declined messages among the others in time (id) order, each with its status', async () => {
    const anna = await joined('anna');
    const approved = await sent(anna, `first: the ${HOLD_PHRASE}, approved`);
    const declined = await sent(anna, `second: the ${HOLD_PHRASE}, declined`);
    const waiting = await sent(anna, `third: the ${HOLD_PHRASE}, still waiting`);
    const later = await sent(anna, 'fourth: an ordinary message after them');
    await moderate(approved.id, 'approve');
    await moderate(declined.id, 'decline');

    const page = (await (await signIn(t.app, 'anna')).get(`/rooms/${room()}`)).text;
    const order = [...page.matchAll(/<li class="sharon-message" data-id="(\d+)"/g)].map((m) => Number(m[1]));
    const mine = [approved.id, declined.id, waiting.id, later.id];
    expect(order.filter((id) => mine.includes(id))).toEqual(mine);
    // Every message carries the status field the live page updates in place.
    const item = (id: number) =>
      page.slice(page.indexOf(`data-id="${id}"`), page.indexOf('</li>', page.indexOf(`data-id="${id}"`)));
    expect(item(declined.id)).toMatch(/data-field="status">Not posted: a moderator declined it</);
    expect(item(waiting.id)).toMatch(/data-field="status">Waiting for a moderator</);
    expect(item(approved.id)).toMatch(/data-field="status" hidden>/);
  });

  it('the moderation queue says which rule held each message: a phrase in quotes, a detector by name', async () => {
    const anna = await joined('anna');
    const byPhrase = await sent(anna, `I found a ${HOLD_PHRASE} for us`);
    const byPhone = await sent(anna, 'text me on 07700 900123');
    expect([byPhrase.status, byPhone.status]).toEqual(['held', 'held']);
    const page = (await (await signIn(t.app, 'clinician')).get(queue())).text;
    const item = (body: string) =>
      page.slice(
        page.lastIndexOf('<div class="sharon-queue-item">', page.indexOf(body)),
        page.indexOf('</div>', page.indexOf(body)),
      );
    expect(item(byPhrase.body)).toContain(`Held by: The phrase “${HOLD_PHRASE}”`);
    expect(item(byPhone.body)).toContain(`Held by: ${BUILTIN_LABELS.phone}`);
    // Stored with the rule's kind and pattern: the queue still says why after the rule is deleted.
    expect((await t.db('messages').where({ id: byPhrase.id }).first()).held_reason).toBe(`phrase:${HOLD_PHRASE}`);
  });

  it('reasons stored before the rule kind was recorded, and the cover rule, still read plainly', () => {
    expect(heldReasonLabel('email')).toBe(BUILTIN_LABELS.email);
    expect(heldReasonLabel('end it all')).toBe('The phrase “end it all”');
    expect(heldReasonLabel('cover')).toBe('Nobody on duty (the room’s cover rule)');
    expect(heldReasonLabel(null)).toBe('Not recorded');
  });
});
