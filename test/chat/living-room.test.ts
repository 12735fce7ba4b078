import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { startTestApp, postForm, signIn, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessages, makeUser } from '../helpers/factories.js';
import { ask, collect, connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const cookies = new Map<string, string>();
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ CHAT_FLOOD_MESSAGES: '5', CHAT_FLOOD_SECONDS: '10' });
  base = await t.listen();
  ids = await demoIds(t.db);
  for (const u of ['anna', 'bella', 'clinician', 'peermod']) cookies.set(u, await sessionCookie(base, u));
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.close();
});

const anorexia = () => ids.room('Anorexia living room');
type Sent = {
  message: { id: number; body: string; nickname: string; badge: string | null; status: string };
  held: boolean;
  support: string | null;
};
type Joined = {
  messages: { id: number; body: string }[];
  hasOlder: boolean;
  presence: { people: { nickname: string; badge: string | null }[]; staffOnline: boolean };
};

async function socketAs(user: string, cookie = cookies.get(user)): Promise<Socket> {
  const s = openSocket(base, cookie ?? null);
  open.push(s);
  await connected(s);
  return s;
}

async function joined(user: string, roomId = anorexia()): Promise<Socket> {
  const s = await socketAs(user);
  const reply = await ask(s, 'room:join', { roomId });
  expect(reply.ok).toBe(true);
  return s;
}

async function fresh(username: string, cohort = 'eating-disorders/anorexia'): Promise<string> {
  // Each flood-sensitive test speaks as its own new member so limits do not leak between tests.
  const { id } = await makeUser(t.db, {
    username,
    subnetId: ids.subnet('eating-disorders'),
    cohortId: ids.cohort(cohort),
  });
  cookies.set(username, await sessionCookie(base, username));
  return id;
}

const send = (s: Socket, body: string, clientId = randomUUID(), roomId = anorexia()) =>
  ask<Sent>(s, 'message:send', { roomId, clientId, body });

describe('the handshake', () => {
  it('a connection without a session is refused', async () => {
    const s = openSocket(base, null);
    open.push(s);
    await expect(connected(s)).rejects.toBeTruthy();
  });

  it('a connection from another origin is refused, even with a valid session', async () => {
    const s = openSocket(base, cookies.get('anna') ?? null, 'https://evil.example');
    open.push(s);
    await expect(connected(s)).rejects.toBeTruthy();
  });
});

describe('cohort isolation', () => {
  it('bella cannot join the anorexia living room by emitting room:join, and never receives its messages', async () => {
    const bella = await socketAs('bella');
    const reply = await ask(bella, 'room:join', { roomId: anorexia() });
    expect(reply).toEqual({ ok: false, error: 'not_found' });
    const bulimia = ids.room('Bulimia living room');
    expect((await ask(bella, 'room:join', { roomId: bulimia })).ok).toBe(true);
    const heard = collect<{ body: string }>(bella, 'message:new');
    const anna = await joined('anna');
    expect((await send(anna, 'only for the anorexia room')).ok).toBe(true);
    const bellaSend = await send(bella, 'sneaking in');
    expect(bellaSend).toEqual({ ok: false, error: 'not_found' });
    // A barrier: a later message to a room bella is in reaches her after anything sent before it would have.
    const clinician = await joined('clinician', bulimia);
    expect((await send(clinician, 'barrier for bella', randomUUID(), bulimia)).ok).toBe(true);
    await eventually(() => heard.length > 0);
    expect(heard.map((m) => m.body)).toEqual(['barrier for bella']);
    const denied = await t
      .db('audit_log')
      .where({ actor_id: ids.user('bella'), action: 'socket.room:join', outcome: 'denied' })
      .first();
    expect(denied.reason).toBe('not_in_cohort');
  });

  it('a non-living room and an unknown id answer not_found; a malformed payload answers invalid', async () => {
    const anna = await socketAs('anna');
    expect(await ask(anna, 'room:join', { roomId: ids.room('Eating disorders library') })).toEqual({
      ok: false,
      error: 'not_found',
    });
    expect(await ask(anna, 'room:join', { roomId: randomUUID() })).toEqual({ ok: false, error: 'not_found' });
    expect(await ask(anna, 'room:join', { roomId: 'not-a-uuid' })).toEqual({ ok: false, error: 'invalid' });
    expect(await ask(anna, 'room:join', { roomId: anorexia(), extra: 1 })).toEqual({ ok: false, error: 'invalid' });
    expect(await ask(anna, 'message:send', 'just a string')).toEqual({ ok: false, error: 'invalid' });
  });
});

describe('sending', () => {
  it('a message is persisted before it is acknowledged, and the ack carries its id', async () => {
    await fresh('sender1');
    const s = await joined('sender1');
    const reply = await send(s, 'hello\nsecond line <b>not bold</b>');
    if (!reply.ok) throw new Error(reply.error);
    const row = await t.db('messages').where({ id: reply.data.message.id }).first();
    expect(row.body).toBe('hello\nsecond line <b>not bold</b>');
    expect(row.status).toBe('visible');
  });

  it('others in the room receive it live with nickname and badge only', async () => {
    await fresh('sender2');
    const listener = await joined('clinician');
    const heard = collect<Record<string, unknown>>(listener, 'message:new');
    const s = await joined('sender2');
    await send(s, 'can anyone hear me');
    await eventually(() => heard.length === 1);
    expect(Object.keys(heard[0] ?? {}).sort()).toEqual([
      'badge',
      'body',
      'createdAt',
      'id',
      'nickname',
      'roomId',
      'status',
    ]);
    expect(heard[0]).toMatchObject({ nickname: 'Nick sender2', badge: null, body: 'can anyone hear me' });
  });

  it('a retry with the same client id makes no duplicate and is delivered once', async () => {
    await fresh('sender3');
    const listener = await joined('peermod');
    const heard = collect<{ body: string }>(listener, 'message:new');
    const s = await joined('sender3');
    const clientId = randomUUID();
    const first = await send(s, 'said once', clientId);
    const second = await send(s, 'said once', clientId);
    expect(first.ok && second.ok && first.data.message.id === second.data.message.id).toBe(true);
    expect(await t.db('messages').where({ client_id: clientId }).count('* as n').first()).toEqual({ n: 1 });
    // A barrier: a later message on the same path arrives after any second delivery would have.
    expect((await send(s, 'said after')).ok).toBe(true);
    await eventually(() => heard.some((m) => m.body === 'said after'));
    expect(heard.map((m) => m.body).filter((b) => b === 'said once' || b === 'said after')).toEqual([
      'said once',
      'said after',
    ]);
  });

  it('a client that reconnects catches up on every message it missed', async () => {
    await fresh('sender4');
    const reader = await joined('clinician');
    const before = await send(await joined('sender4'), 'before the drop');
    if (!before.ok) throw new Error(before.error);
    reader.disconnect();
    const s = open.at(-1) as Socket;
    const missed = [];
    for (const text of ['missed one', 'missed two', 'missed three']) missed.push(await send(s, text));
    const back = await socketAs('clinician');
    const reply = await ask<Joined>(back, 'room:join', { roomId: anorexia(), afterId: before.data.message.id });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.messages.map((m) => m.body)).toEqual(['missed one', 'missed two', 'missed three']);
  });

  it('joining shows the latest 50 messages, and older pages load by id', async () => {
    const author = await fresh('historian');
    await makeMessages(
      t.db,
      Array.from({ length: 60 }, (_, i) => ({
        roomId: ids.room('Binge eating living room'),
        authorId: author,
        body: `old ${i}`,
      })),
    );
    const s = await socketAs('clinician');
    const reply = await ask<Joined>(s, 'room:join', { roomId: ids.room('Binge eating living room') });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.messages).toHaveLength(50);
    expect(reply.data.messages.at(-1)?.body).toBe('old 59');
    expect(reply.data.hasOlder).toBe(true);
    const older = await ask<Joined>(s, 'message:history', {
      roomId: ids.room('Binge eating living room'),
      beforeId: reply.data.messages[0]?.id,
    });
    if (!older.ok) throw new Error(older.error);
    expect(older.data.messages.map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `old ${i}`));
    expect(older.data.hasOlder).toBe(false);
  });

  it('an empty, an over-long and a flood of messages get clear error codes and are not stored', async () => {
    await fresh('flooder');
    const s = await joined('flooder');
    expect(await send(s, '   ')).toEqual({ ok: false, error: 'empty' });
    expect(await send(s, 'x'.repeat(2001))).toEqual({ ok: false, error: 'too_long' });
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await send(s, `flood ${i}`));
    expect(replies.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(replies[5]).toMatchObject({ ok: false, error: 'rate_limited' });
    expect(await t.db('messages').where('body', 'flood 5').first()).toBeUndefined();
  });

  it('an oversized frame disconnects that socket only; the server keeps serving', async () => {
    await fresh('bigframe');
    const s = await joined('bigframe');
    const gone = disconnected(s);
    s.emit('message:send', { roomId: anorexia(), clientId: randomUUID(), body: 'x'.repeat(100_000) });
    await gone;
    const again = await joined('bigframe');
    expect((await send(again, 'still here')).ok).toBe(true);
  });
});

describe('presence', () => {
  it('says who is here by nickname, and whether a clinician or peer moderator is online', async () => {
    await fresh('presence1', 'eating-disorders/binge-eating');
    const member = await socketAs('presence1');
    const reply = await ask<Joined>(member, 'room:join', { roomId: ids.room('Binge eating living room') });
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.presence.staffOnline).toBe(false);
    const updates = collect<Joined['presence']>(member, 'presence');
    await joined('peermod', ids.room('Binge eating living room'));
    await eventually(() => updates.some((p) => p.staffOnline));
    expect(updates.at(-1)?.people).toContainEqual({ nickname: 'Sam', badge: 'Peer moderator' });
  });
});

describe('moderation', () => {
  it('staff remove a message live; it is kept for audit with who removed it', async () => {
    await fresh('removed1');
    const s = await joined('removed1');
    const removedLive = collect<{ id: number }>(s, 'message:removed');
    const sent = await send(s, 'this will go');
    if (!sent.ok) throw new Error(sent.error);
    const staff = await socketAs('clinician');
    expect(await ask(staff, 'message:remove', { messageId: sent.data.message.id, reason: 'unkind' })).toEqual({
      ok: true,
      data: { removed: true },
    });
    await eventually(() => removedLive.some((r) => r.id === sent.data.message.id));
    const row = await t.db('messages').where({ id: sent.data.message.id }).first();
    expect(row).toMatchObject({ status: 'removed', moderated_by: ids.user('clinician'), moderation_reason: 'unkind' });
    expect(
      await t
        .db('audit_log')
        .where({ action: 'message.remove', target_id: String(sent.data.message.id) })
        .first(),
    ).toBeTruthy();
  });

  it('a member cannot remove or mute (forbidden), and a muted member cannot post until the mute ends', async () => {
    await fresh('muted1');
    const s = await joined('muted1');
    const sent = await send(s, 'a message');
    if (!sent.ok) throw new Error(sent.error);
    expect(await ask(s, 'message:remove', { messageId: sent.data.message.id })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    const staff = await socketAs('peermod');
    const muted = await ask(staff, 'member:mute', { messageId: sent.data.message.id, minutes: 30 });
    expect(muted.ok).toBe(true);
    expect(await send(s, 'can I talk')).toEqual({ ok: false, error: 'muted' });
    await t.db('mutes').update({ until: new Date(Date.now() - 1000) });
    expect((await send(s, 'I can talk again')).ok).toBe(true);
  });

  it('any member reports a message with a reason; it reaches the subnet queue', async () => {
    await fresh('reporter1');
    const author = await joined('anna');
    const sent = await send(author, 'report me');
    if (!sent.ok) throw new Error(sent.error);
    const reporter = await socketAs('reporter1');
    expect(await ask(reporter, 'message:report', { messageId: sent.data.message.id, reason: 'felt unkind' })).toEqual({
      ok: true,
      data: null,
    });
    const clinician = await signIn(t.app, 'clinician');
    const queue = await clinician.get(`/subnets/${ids.subnet('eating-disorders')}/moderation`);
    expect(queue.text).toContain('felt unkind');
    expect(queue.text).toContain('report me');
  });
});

describe('watched words', () => {
  it('hold: contact details wait for a moderator; the sender sees it waiting; approval delivers it', async () => {
    await fresh('holder1', 'eating-disorders/bulimia');
    const listener = await joined('bella', ids.room('Bulimia living room'));
    const heard = collect<{ body: string }>(listener, 'message:new');
    const staff = await joined('peermod', ids.room('Bulimia living room'));
    const queueChanged = collect(staff, 'queue:changed');
    const s = await joined('holder1', ids.room('Bulimia living room'));
    const reply = await send(s, 'email me at me@example.com', randomUUID(), ids.room('Bulimia living room'));
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.held).toBe(true);
    expect(reply.data.message.status).toBe('held');
    await eventually(() => queueChanged.length > 0);
    expect(heard).toEqual([]);
    const peermod = await signIn(t.app, 'peermod');
    const approve = await postForm(
      peermod,
      `/moderation/messages/${reply.data.message.id}/approve`,
      {},
      `/subnets/${ids.subnet('eating-disorders')}/moderation`,
    );
    expect(approve.status).toBe(303);
    await eventually(() => heard.some((m) => m.body === 'email me at me@example.com'));
  });

  it("staff are never held, as on the noticeboard: a peer moderator's message with contact details is delivered at once", async () => {
    const listener = await joined('bella', ids.room('Bulimia living room'));
    const heard = collect<{ body: string }>(listener, 'message:new');
    const s = await joined('peermod', ids.room('Bulimia living room'));
    const reply = await send(s, 'the clinic is at clinic@example.com', randomUUID(), ids.room('Bulimia living room'));
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.held).toBe(false);
    expect(reply.data.message.status).toBe('visible');
    await eventually(() => heard.some((m) => m.body === 'the clinic is at clinic@example.com'));
  });

  it('a declined message is never delivered, and its author is told live and on the page', async () => {
    await fresh('declined1', 'eating-disorders/bulimia');
    const listener = await joined('bella', ids.room('Bulimia living room'));
    const heard = collect<{ body: string }>(listener, 'message:new');
    const s = await joined('declined1', ids.room('Bulimia living room'));
    const declined = collect<{ id: number }>(s, 'message:declined');
    const reply = await send(s, 'see www.example.com', randomUUID(), ids.room('Bulimia living room'));
    if (!reply.ok) throw new Error(reply.error);
    const peermod = await signIn(t.app, 'peermod');
    await postForm(
      peermod,
      `/moderation/messages/${reply.data.message.id}/decline`,
      {},
      `/subnets/${ids.subnet('eating-disorders')}/moderation`,
    );
    await eventually(() => declined.some((d) => d.id === reply.data.message.id));
    expect(heard).toEqual([]);
    const page = await fetch(`${base}/rooms/${ids.room('Bulimia living room')}`, {
      headers: { Cookie: cookies.get('declined1') ?? '' },
    });
    expect(await page.text()).toContain('Not posted: a moderator declined it');
  });

  it('the eating-disorder "no numbers" rule holds weights in the living rooms', async () => {
    await fresh('numbers1');
    const reply = await send(await joined('numbers1'), 'I am 44kg today');
    expect(reply.ok && reply.data.held).toBe(true);
  });

  it('alert: delivered, staff alerted live on duty or not, the sender privately supported with crisis contacts', async () => {
    await fresh('alerter1');
    const clinician = await signIn(t.app, 'clinician');
    await postForm(clinician, `/subnets/${ids.subnet('eating-disorders')}/duty/start`, {});
    const staff = await socketAs('clinician');
    const offDuty = await socketAs('peermod');
    const alerts = collect<{ nickname: string }>(staff, 'alert:new');
    const offDutyAlerts = collect<{ nickname: string }>(offDuty, 'alert:new');
    const escalated = collect<{ alertId: number }>(offDuty, 'alert:escalated');
    const s = await joined('alerter1');
    const reply = await send(s, 'I want to end it all');
    if (!reply.ok) throw new Error(reply.error);
    expect(reply.data.held).toBe(false);
    expect(reply.data.support).toContain('116 123');
    await eventually(() => alerts.some((a) => a.nickname === 'Nick alerter1'));
    await eventually(() => offDutyAlerts.some((a) => a.nickname === 'Nick alerter1')); // off duty but online: told too
    const alert = await t.db('alerts').where({ message_id: reply.data.message.id }).first();
    expect(alert).toMatchObject({ matched: 'end it all' });
    // Nobody acknowledges it: ten minutes later (a controlled clock) it escalates to every staff member online.
    const { escalateOverdueAlerts } = await import('../../src/safety/escalation.js');
    expect(await escalateOverdueAlerts(t.db, t.realtime, new Date(Date.now() + 9 * 60_000), 10 * 60_000)).toBe(0);
    expect(
      await escalateOverdueAlerts(t.db, t.realtime, new Date(Date.now() + 11 * 60_000), 10 * 60_000),
    ).toBeGreaterThan(0);
    await eventually(() => escalated.some((e) => e.alertId === Number(alert.id)));
    expect(await escalateOverdueAlerts(t.db, t.realtime, new Date(Date.now() + 12 * 60_000), 10 * 60_000)).toBe(0);
    await postForm(clinician, `/subnets/${ids.subnet('eating-disorders')}/duty/end`, { note: 'Quiet night' });
  });
});

describe('access changes apply to open sockets at once', () => {
  it('suspending a member disconnects their sockets and refuses a reconnect', async () => {
    const id = await fresh('suspendme');
    const s = await joined('suspendme');
    const gone = disconnected(s);
    const clinician = await signIn(t.app, 'clinician');
    const url = `/subnets/${ids.subnet('eating-disorders')}/members/${id}`;
    expect((await postForm(clinician, `${url}/suspend`, { reason: 'Testing that sockets close' }, url)).status).toBe(
      303,
    );
    await gone;
    const again = openSocket(base, cookies.get('suspendme') ?? null);
    open.push(again);
    await expect(connected(again)).rejects.toBeTruthy();
  });

  it('moving a member to another cohort drops their sockets; a rejoin of the old room is refused', async () => {
    const id = await fresh('moveme');
    const s = await joined('moveme');
    const gone = disconnected(s);
    const clinician = await signIn(t.app, 'clinician');
    const url = `/subnets/${ids.subnet('eating-disorders')}/members/${id}`;
    await postForm(clinician, `${url}/cohort`, { cohortId: ids.cohort('eating-disorders/bulimia') }, url);
    await gone;
    const again = await socketAs('moveme');
    expect(await ask(again, 'room:join', { roomId: anorexia() })).toEqual({ ok: false, error: 'not_found' });
    expect((await ask(again, 'room:join', { roomId: ids.room('Bulimia living room') })).ok).toBe(true);
  });

  it('a socket whose session has ended (idle expiry) is disconnected even if it stays silent', async () => {
    await fresh('idleone');
    const s = await joined('idleone');
    const gone = disconnected(s);
    await t
      .db('session')
      .whereRaw("sess->'passport'->>'user' = (SELECT id::text FROM users WHERE username = 'idleone')")
      .update({ expire: new Date(Date.now() - 1000) });
    await gone;
  });

  it('logging out disconnects the sockets of that session', async () => {
    await fresh('logmeout');
    const cookie = cookies.get('logmeout') ?? '';
    const s = await joined('logmeout');
    const gone = disconnected(s);
    const page = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    await fetch(`${base}/logout`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
      body: `_csrf=${encodeURIComponent(_csrf)}`,
      redirect: 'manual',
    });
    await gone;
  });
});
