import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import type { Socket } from 'socket.io-client';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport, makeUser } from '../helpers/factories.js';
import { collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { announceQueueChange } from '../../src/moderation/moderation.service.js';

// Issue 15 item 4: removing a reported message keeps Mute and Suspend within reach; the queue can
// be filtered by room (validated); the queue tells the subnet's staff live when it changes.

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
const sockets: Socket[] = [];
beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  ids = await demoIds(t.db);
  for (const u of ['clinician', 'peermod', 'anna']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;
const ed = () => ids.subnet('eating-disorders');
const queue = (query = '') => `/subnets/${ed()}/moderation${query}`;

async function reported(room: string, reason = 'a test report', authorId = ids.user('anna')) {
  const messageId = await makeMessage(t.db, { roomId: ids.room(room), authorId, body: `said in ${room}` });
  const reportId = await makeReport(t.db, { messageId, reporterId: ids.user('bella'), reason });
  return { messageId, reportId };
}

async function socketOf(username: string): Promise<Socket> {
  const s = openSocket(base, await sessionCookie(base, username));
  sockets.push(s);
  await connected(s);
  return s;
}

describe('removal keeps mute and suspend for the author', () => {
  it('removing lands on a confirmation that offers a clinician Mute and Suspend for the author; muting from it works', async () => {
    const { messageId } = await reported('Anorexia living room');
    const removed = await postForm(
      as('clinician'),
      `/moderation/messages/${messageId}/remove`,
      { reason: 'x' },
      queue(),
    );
    expect(removed.status).toBe(303);
    const followUp = `/moderation/messages/${messageId}/removed`;
    expect(removed.headers.location).toBe(followUp);

    const page = await as('clinician').get(followUp);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Message removed');
    expect(page.text).toContain('The message by Willow in Anorexia living room was removed for everyone.');
    expect(page.text).toContain(`action="/moderation/messages/${messageId}/mute"`);
    expect(page.text).toContain(`href="/moderation/messages/${messageId}/suspend-author"`);
    expect(page.text).not.toContain('said in Anorexia living room');

    const muted = await postForm(
      as('clinician'),
      `/moderation/messages/${messageId}/mute`,
      { minutes: '60' },
      followUp,
    );
    expect(muted.status).toBe(303);
    expect(muted.headers.location).toBe(queue('?done=muted'));
    const mute = await t
      .db('mutes')
      .where({ user_id: ids.user('anna'), room_id: ids.room('Anorexia living room') })
      .first();
    expect(mute).toBeTruthy();
    expect((await as('clinician').get(queue('?done=muted'))).text).toContain('The member was muted in that room.');
    // The follow-up now says the author is muted until when.
    expect((await as('clinician').get(followUp)).text).toMatch(/Willow is muted in Anorexia living room until/);
    await t
      .db('mutes')
      .where({ user_id: ids.user('anna') })
      .delete();
  });

  it('the suspend link leads to the confirm-with-a-reason step, and suspending from it works', async () => {
    const author = await makeUser(t.db, { subnetId: ed(), cohortId: ids.cohort('eating-disorders/anorexia') });
    const { messageId } = await reported('Anorexia living room', 'threats', author.id);
    await postForm(as('clinician'), `/moderation/messages/${messageId}/remove`, {}, queue());
    const confirm = await as('clinician').get(`/moderation/messages/${messageId}/suspend-author`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(author.nickname);
    const done = await postForm(
      as('clinician'),
      `/moderation/messages/${messageId}/suspend-author`,
      { reason: 'Threatened another member after removal' },
      `/moderation/messages/${messageId}/suspend-author`,
    );
    expect(done.status).toBe(303);
    expect((await t.db('users').where({ id: author.id }).first()).status).toBe('suspended');
    const after = await as('clinician').get(`/moderation/messages/${messageId}/removed`);
    expect(after.text).toContain('This account is already suspended.');
    expect(after.text).not.toContain('/suspend-author"');
  });

  it('a peer moderator is offered Mute but not Suspend (ACCESS.md: clinicians suspend)', async () => {
    const { messageId } = await reported('Anorexia living room');
    await postForm(as('peermod'), `/moderation/messages/${messageId}/remove`, {}, queue());
    const page = await as('peermod').get(`/moderation/messages/${messageId}/removed`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`action="/moderation/messages/${messageId}/mute"`);
    expect(page.text).not.toContain('/suspend-author');
  });

  it('the follow-up exists only for a removed message and only for staff of its subnet', async () => {
    const { messageId } = await reported('Anorexia living room');
    expect((await as('clinician').get(`/moderation/messages/${messageId}/removed`)).status).toBe(404);
    await postForm(as('clinician'), `/moderation/messages/${messageId}/remove`, {}, queue());
    // As every moderation action: a member who can see the room is refused (403), one who cannot gets 404.
    expect((await as('anna').get(`/moderation/messages/${messageId}/removed`)).status).toBe(403);
    expect((await (await signIn(t.app, 'bella')).get(`/moderation/messages/${messageId}/removed`)).status).toBe(404);
    expect((await as('clinician').get('/moderation/messages/999999999/removed')).status).toBe(404);
    expect((await as('clinician').get('/moderation/messages/abc/removed')).status).toBe(400);
  });
});

describe('the queue filtered by room', () => {
  it("shows a select of the subnet's rooms; a room shows only its own items; empty means every room", async () => {
    await reported('Anorexia living room', 'filter-anorexia');
    await reported('Bulimia living room', 'filter-bulimia');
    const all = await as('peermod').get(queue());
    expect(all.text).toContain('filter-anorexia');
    expect(all.text).toContain('filter-bulimia');
    expect(all.text).toMatch(/<select class="nhsuk-select" id="room" name="room">/);
    expect(all.text).toContain(`<option value="${ids.room('Bulimia living room')}">Bulimia living room</option>`);
    expect(all.text).not.toContain(ids.room('Perinatal living room'));

    const one = await as('peermod').get(queue(`?room=${ids.room('Bulimia living room')}`));
    expect(one.status).toBe(200);
    expect(one.text).toContain('filter-bulimia');
    expect(one.text).not.toContain('filter-anorexia');
    expect(one.text).toContain(`<option value="${ids.room('Bulimia living room')}" selected>`);
    expect((await as('peermod').get(queue('?room='))).text).toContain('filter-anorexia');
  });

  it('a room of another subnet is a 404 (it says nothing of that room); a malformed query is a 400', async () => {
    expect((await as('clinician').get(queue(`?room=${ids.room('Perinatal living room')}`))).status).toBe(404);
    expect((await as('clinician').get(queue('?room=not-a-room'))).status).toBe(400);
    expect((await as('clinician').get(queue('?done=whatever'))).status).toBe(400);
    expect((await as('clinician').get(queue('?sort=name'))).status).toBe(400);
    expect((await as('anna').get(queue(`?room=${ids.room('Anorexia living room')}`))).status).toBe(404);
  });
});

describe('the queue, live', () => {
  it("a new report reaches the subnet's staff as an added item; dismissing it as a handled one; nobody else hears", async () => {
    const peermod = await socketOf('peermod');
    const otherStaff = await makeUser(t.db, { role: 'peer_moderator', subnetId: ids.subnet('first-step') });
    const other = await socketOf(otherStaff.username);
    const anna = await socketOf('anna');
    const heard = collect<{ subnetId: string; roomId: string; change: string }>(peermod, 'queue:changed');
    const overheard = [...[other, anna].map((s) => collect(s, 'queue:changed'))];

    const messageId = await makeMessage(t.db, {
      roomId: ids.room('Bulimia living room'),
      authorId: ids.user('peermod'),
    });
    const reportAs = await signIn(t.app, 'bella');
    const url = `/messages/${messageId}/report`;
    expect((await postForm(reportAs, url, { reason: 'unkind' }, url)).status).toBe(303);
    await eventually(() => heard.length === 1);
    expect(heard[0]).toEqual({ subnetId: ed(), roomId: ids.room('Bulimia living room'), change: 'added' });

    const report = await t.db('reports').where({ message_id: messageId }).first();
    expect((await postForm(as('clinician'), `/moderation/reports/${report.id}/dismiss`, {}, queue())).status).toBe(303);
    await eventually(() => heard.length === 2);
    expect(heard[1]).toMatchObject({ change: 'handled', roomId: ids.room('Bulimia living room') });
    expect(JSON.stringify(heard)).not.toContain('unkind');
    // A barrier: a later event to everyone's own user room arrives after any overheard queue event would have.
    for (const [s, id] of [
      [other, otherStaff.id],
      [anna, ids.user('anna')],
    ] as const) {
      const barrier = collect(s, 'test:barrier');
      t.realtime.emitToUser(id, 'test:barrier', {});
      await eventually(() => barrier.length === 1);
    }
    expect(overheard.map((o) => o.length)).toEqual([0, 0]);
  });

  it('removing, muting and approving from the queue are announced as handled', async () => {
    const peermod = await socketOf('peermod');
    const heard = collect<{ change: string }>(peermod, 'queue:changed');
    const { messageId } = await reported('Anorexia living room');
    await postForm(as('clinician'), `/moderation/messages/${messageId}/remove`, {}, queue());
    await eventually(() => heard.length === 1);
    const held = await makeMessage(t.db, {
      roomId: ids.room('Anorexia living room'),
      authorId: ids.user('anna'),
      status: 'held',
    });
    await postForm(as('clinician'), `/moderation/messages/${held}/approve`, {}, queue());
    await eventually(() => heard.length === 2);
    expect(heard.map((h) => h.change)).toEqual(['handled', 'handled']);
  });

  it('an announcement inside a transaction that rolls back is never sent', async () => {
    const peermod = await socketOf('peermod');
    const heard = collect<{ change: string }>(peermod, 'queue:changed');
    const room = { id: ids.room('Anorexia living room'), subnetId: ed() };
    await expect(
      t.db.transaction(async (trx) => {
        announceQueueChange(trx, t.realtime, room, 'added');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    announceQueueChange(t.db, t.realtime, room, 'handled');
    await eventually(() => heard.length === 1);
    expect(heard).toEqual([{ subnetId: ed(), roomId: room.id, change: 'handled' }]);
  });
});
