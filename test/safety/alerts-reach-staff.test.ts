import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { escalateOverdueAlerts } from '../../src/safety/escalation.js';
import { socketRooms } from '../../src/realtime/realtime.js';

// Issue 13 item 2: an alert reaches the staff who are there (on duty, in the room, or online
// anywhere), names and links the room, tells the sender truthfully who was told, and an
// escalation stays in the notifications of every staff member of the subnet.

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const cookies = new Map<string, string>();
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp({ CHAT_FLOOD_MESSAGES: '100' }); // anna writes often here: the flood limit is not what is tested
  base = await t.listen();
  ids = await demoIds(t.db);
  for (const u of ['anna', 'bella', 'clinician', 'peermod']) cookies.set(u, await sessionCookie(base, u));
});
afterEach(async () => {
  for (const s of open.splice(0)) s.disconnect();
  // Barrier: the server has seen every staff socket of this test go before the next test starts.
  await eventually(async () => (await t.io()?.in(socketRooms.staff(ed())).fetchSockets())?.length === 0);
});
afterAll(async () => {
  await t.close();
});

const ed = () => ids.subnet('eating-disorders');
const anorexia = () => ids.room('Anorexia living room');
type Alert = { subnetId: string; roomId: string; roomName: string; link: string; nickname: string; messageId?: number };
type Sent = { message: { id: number }; held: boolean; support: string | null; told: string | null };

async function socketAs(user: string): Promise<Socket> {
  const s = openSocket(base, cookies.get(user) ?? null);
  open.push(s);
  await connected(s);
  return s;
}

async function inRoom(user: string, roomId = anorexia()): Promise<Socket> {
  const s = await socketAs(user);
  expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);
  return s;
}

async function annaWrites(body: string): Promise<Sent> {
  const reply = await ask<Sent>(await inRoom('anna'), 'message:send', {
    roomId: anorexia(),
    clientId: randomUUID(),
    body,
  });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

const isOnDuty = async (user: string) =>
  Boolean(
    await t
      .db('duty_sessions')
      .where({ user_id: ids.user(user), subnet_id: ed() })
      .whereNull('ended_at')
      .first(),
  );

describe('a watched-word alert reaches the staff who are there', () => {
  it('an off-duty clinician present in the Anorexia living room receives the alert live when anna writes "I want to end it all"', async () => {
    expect(await isOnDuty('clinician')).toBe(false);
    const clinician = await inRoom('clinician');
    const alerts = collect<Alert>(clinician, 'alert:new');
    const sent = await annaWrites('I want to end it all');
    await eventually(() => alerts.some((a) => a.messageId === sent.message.id));
    const alert = alerts.find((a) => a.messageId === sent.message.id);
    expect(alert).toEqual({
      subnetId: ed(),
      roomId: anorexia(),
      roomName: 'Anorexia living room',
      link: `/rooms/${anorexia()}`,
      messageId: sent.message.id,
      nickname: 'Willow',
    });
    expect(JSON.stringify(alert)).not.toContain('end it all');
  });

  it('an off-duty staff member online elsewhere receives it too', async () => {
    expect(await isOnDuty('peermod')).toBe(false);
    const peermod = await socketAs('peermod'); // signed in, in no room at all (another page)
    const alerts = collect<Alert>(peermod, 'alert:new');
    const sent = await annaWrites('Honestly I want to end it all, I cannot cope');
    await eventually(() => alerts.some((a) => a.messageId === sent.message.id));
    expect(alerts.find((a) => a.messageId === sent.message.id)).toMatchObject({
      roomName: 'Anorexia living room',
      link: `/rooms/${anorexia()}`,
    });
  });

  it('an alert phrase in a noticeboard thread reaches an off-duty staff member online, naming and linking the noticeboard', async () => {
    const peermod = await socketAs('peermod');
    const alerts = collect<Alert>(peermod, 'alert:new');
    const board = ids.room('Eating disorders noticeboard');
    const anna = await signIn(t.app, 'anna');
    const res = await postForm(
      anna,
      `/rooms/${board}/threads`,
      { title: 'A hard night', body: 'I want to end it all' },
      `/rooms/${board}`,
    );
    expect(res.status).toBe(303);
    await eventually(() => alerts.some((a) => a.roomId === board));
    const alert = alerts.find((a) => a.roomId === board);
    expect(alert).toMatchObject({ roomName: 'Eating disorders noticeboard', link: `/rooms/${board}` });
    expect(JSON.stringify(alert)).not.toContain('end it all');
  });

  it('a member never receives it', async () => {
    const bella = await inRoom('bella', ids.room('Bulimia living room'));
    const annaElsewhere = await socketAs('anna');
    const clinician = await socketAs('clinician');
    const bellaHeard = collect(bella, 'alert:new');
    const annaHeard = collect(annaElsewhere, 'alert:new');
    const staffHeard = collect<Alert>(clinician, 'alert:new');
    const sent = await annaWrites('I want to end it all');
    await eventually(() => staffHeard.some((a) => a.messageId === sent.message.id));
    // Barrier: an answer on each member's socket comes after anything emitted to it before.
    await ask(bella, 'room:leave', { roomId: ids.room('Bulimia living room') });
    await ask(annaElsewhere, 'room:leave', { roomId: anorexia() });
    expect([...bellaHeard, ...annaHeard]).toEqual([]);
  });
});

describe('the sender is told the truth about who was told', () => {
  it('when nobody is on duty or online the reply says so plainly and lists the crisis contacts first', async () => {
    expect(await isOnDuty('clinician')).toBe(false);
    expect(await isOnDuty('peermod')).toBe(false);
    const sent = await annaWrites('I want to end it all');
    expect(sent.told).toBe('nobody');
    const text = sent.support ?? '';
    const nobody = text.indexOf(
      'Nobody from the team is on duty or online right now, so nobody has seen your message yet.',
    );
    expect(nobody).toBeGreaterThan(0);
    for (const contact of ['999', 'NHS 111 and choose option 2', '116 123']) {
      expect(text.indexOf(contact)).toBeGreaterThanOrEqual(0);
      expect(text.indexOf(contact)).toBeLessThan(nobody);
    }
    expect(text.indexOf('999')).toBeLessThan(text.indexOf('NHS 111'));
    expect(text.indexOf('NHS 111')).toBeLessThan(text.indexOf('116 123'));
    expect(text).not.toContain('has been told');

    // Without JavaScript the form lands on the room, which says the same.
    const anna = await signIn(t.app, 'anna');
    const room = `/rooms/${anorexia()}`;
    const res = await postForm(
      anna,
      `${room}/messages`,
      { clientId: randomUUID(), body: 'I want to end it all' },
      room,
    );
    expect(res.headers.location).toContain('support=nobody');
    const page = (await anna.get(String(res.headers.location))).text;
    const box = page.slice(
      page.indexOf('id="support"'),
      page.indexOf('id="account-suspended"') > 0
        ? page.indexOf('id="account-suspended"')
        : page.indexOf('id="live-support"'),
    );
    expect(box).toContain('Nobody from the team is on duty or online right now');
    expect(box.indexOf('116 123')).toBeLessThan(box.indexOf('Nobody from the team'));
    expect(box).not.toContain('has been told');
  });

  it('when someone is on duty or online the reply says they were told', async () => {
    const clinician = await signIn(t.app, 'clinician');
    await postForm(clinician, `/subnets/${ed()}/duty/start`, {});
    const onDuty = await annaWrites('I want to end it all');
    expect(onDuty.told).toBe('duty');
    expect(onDuty.support).toContain('the team on duty has been told');
    expect(
      await postForm(clinician, `/subnets/${ed()}/duty/end`, {
        note: 'Willow wrote an alert phrase twice; I was not able to reply.',
      }),
    ).toHaveProperty('status', 303);

    await socketAs('peermod'); // off duty, but online
    const online = await annaWrites('I want to end it all');
    expect(online.told).toBe('online');
    expect(online.support).toContain('a member of the team who is online has been told');
    expect(online.support).not.toContain('Nobody from the team');
  });
});

describe('escalations are kept as notifications', () => {
  it("an escalation creates notifications for the subnet's staff, visible to a staff member who signs in later, naming the room, with no message text", async () => {
    const before = async (user: string) =>
      Number(
        (
          await t
            .db('notifications')
            .where({ user_id: ids.user(user), kind: 'alert_escalated' })
            .count('* as n')
        )[0]?.n ?? 0,
      );
    const counts = {
      clinician: await before('clinician'),
      peermod: await before('peermod'),
      anna: await before('anna'),
      admin: await before('admin'),
    };
    await annaWrites('I want to end it all, nobody would notice');
    const clinician = await socketAs('clinician');
    const escalated = collect<{ roomId: string; roomName: string; link: string }>(clinician, 'alert:escalated');
    const told = collect<{ kind: string }>(clinician, 'notification:new');

    const n = await escalateOverdueAlerts(t.db, t.realtime, new Date(Date.now() + 11 * 60_000), 10 * 60_000);
    expect(n).toBeGreaterThan(0);
    expect(await before('clinician')).toBe(counts.clinician + n);
    expect(await before('peermod')).toBe(counts.peermod + n);
    expect(await before('anna')).toBe(counts.anna);
    expect(await before('admin')).toBe(counts.admin);
    const stored = await t
      .db('notifications')
      .where({ user_id: ids.user('peermod'), kind: 'alert_escalated' })
      .orderBy('id', 'desc')
      .first();
    expect(stored).toMatchObject({ room_id: anorexia(), subnet_id: ed(), link: `/rooms/${anorexia()}` });
    expect(JSON.stringify(stored)).not.toContain('end it all');
    await eventually(
      () =>
        escalated.some((e) => e.roomId === anorexia()) && told.filter((x) => x.kind === 'alert_escalated').length === n,
    );
    expect(escalated.find((e) => e.roomId === anorexia())).toMatchObject({
      roomName: 'Anorexia living room',
      link: `/rooms/${anorexia()}`,
    });

    // The peer moderator was not online: they sign in later and find it in their notifications.
    const peermod = await signIn(t.app, 'peermod');
    const page = await peermod.get('/notifications');
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      'An alert in Anorexia living room (Eating Disorders) has waited too long without anyone acknowledging it',
    );
    expect(page.text).not.toContain('end it all');
    expect(page.text).not.toContain('nobody would notice');
    const opened = await postForm(peermod, `/notifications/${stored.id}/open`, {}, '/notifications');
    expect(opened.headers.location).toBe(`/rooms/${anorexia()}`);
    // A member cannot open a staff member's notification (it does not exist for them).
    expect((await postForm(await signIn(t.app, 'anna'), `/notifications/${stored.id}/open`, {})).status).toBe(404);
  });
});
