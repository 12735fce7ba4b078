import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { up as backfill } from '../../migrations/20261202031100_notification_target_backfill.js';

// Issue 15 item 3: each notification names the room, thread or service it concerns (read from the
// current names when shown, never stored as text, never the words anyone wrote), and opening one is
// checked against the policy again: gone or no longer theirs gives a plain "no longer available".

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['clinician', 'peermod', 'anna', 'bella']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;
const edBoard = () => ids.room('Eating disorders noticeboard');
const ed = () => ids.subnet('eating-disorders');
const subnetName = async () => (await t.db('subnets').where({ id: ed() }).first()).name as string;

async function startThread(user: string, title: string, body = 'Some words') {
  const res = await postForm(as(user), `/rooms/${edBoard()}/threads`, { title, body }, `/rooms/${edBoard()}`);
  return /\/threads\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
}
const reply = (user: string, threadId: string, body: string) =>
  postForm(as(user), `/threads/${threadId}/replies`, { body }, `/threads/${threadId}`);
const latest = (user: string, kind: string) =>
  t
    .db('notifications')
    .where({ user_id: ids.user(user), kind })
    .orderBy('id', 'desc')
    .first();
const openIt = (user: string, id: number) => postForm(as(user), `/notifications/${id}/open`, {}, '/notifications');

describe('notifications that say where', () => {
  it('a staff reply names the thread, its room and service, says staff replied, and never carries the reply', async () => {
    const thread = await startThread('anna', 'Evenings');
    await reply('peermod', thread, 'Evenings are hard for many of us; a plan helps.');
    const stored = await latest('anna', 'thread_reply');
    expect(stored).toMatchObject({ target_kind: 'reply', link: `/threads/${thread}#latest` });
    const page = (await as('anna').get('/notifications')).text;
    expect(page).toContain(
      `A staff member replied to your thread ‘Evenings’ in Eating disorders noticeboard (${await subnetName()})`,
    );
    expect(page).not.toContain('a plan helps');

    await reply('bella', thread, 'Me too, every night.');
    expect((await as('anna').get('/notifications')).text).toContain(
      'Someone replied to your thread ‘Evenings’ in Eating disorders noticeboard',
    );
  });

  it('a renamed room shows its new name: the label is built when it is read', async () => {
    const thread = await startThread('anna', 'Renamed board');
    await reply('clinician', thread, 'Hello.');
    await t.db('rooms').where({ id: edBoard() }).update({ name: 'Our shared board' });
    try {
      const page = (await as('anna').get('/notifications')).text;
      expect(page).toContain('A staff member replied to your thread ‘Renamed board’ in Our shared board');
    } finally {
      await t.db('rooms').where({ id: edBoard() }).update({ name: 'Eating disorders noticeboard' });
    }
  });

  it("a care-team answer names the service; the clinician's words are not in it", async () => {
    const open = await as('anna').get(`/subnets/${ed()}/care-team/mine`);
    const url = String(open.headers.location);
    await postForm(as('anna'), `${url}/messages`, { body: 'Can we talk?' }, url);
    await postForm(as('clinician'), `${url}/messages`, { body: 'Yes, tomorrow at ten.' }, url);
    expect(await latest('anna', 'care_reply')).toMatchObject({ target_kind: 'care_conversation' });
    const page = (await as('anna').get('/notifications')).text;
    expect(page).toContain(`Your care team at ${await subnetName()} replied`);
    expect(page).not.toContain('tomorrow at ten');
  });

  it('a removed thread: listed as no longer available without its title; opening it gives a plain page, marked read', async () => {
    const thread = await startThread('anna', 'Soon to be removed');
    await reply('peermod', thread, 'A reply.');
    const n = await latest('anna', 'thread_reply');
    await postForm(as('clinician'), `/threads/${thread}/remove`, { reason: 'test' }, `/threads/${thread}`);
    expect((await t.db('threads').where({ id: thread }).first()).status).toBe('removed');

    const page = (await as('anna').get('/notifications')).text;
    expect(page).not.toContain('Soon to be removed');
    expect(page).toContain(
      `A staff member replied to your thread in Eating disorders noticeboard (${await subnetName()}) (no longer available)`,
    );
    const opened = await openIt('anna', n.id);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('This is no longer available');
    expect(opened.text).toContain('href="/notifications"');
    expect(opened.text).not.toContain('Soon to be removed');
    expect((await t.db('notifications').where({ id: n.id }).first()).read_at).not.toBeNull();
  });

  it('a thread in a room the person can no longer enter: opening it names nothing and does not redirect', async () => {
    const anorexiaBoard = ids.room('Anorexia noticeboard');
    const [thread] = await t
      .db('threads')
      .insert({ room_id: anorexiaBoard, author_id: ids.user('bella'), title: 'Secret title', body: 'x' })
      .returning('id');
    const [{ id }] = await t
      .db('notifications')
      .insert({
        user_id: ids.user('bella'),
        kind: 'thread_reply',
        link: `/threads/${thread.id}`,
        target_kind: 'thread',
        target_id: thread.id,
      })
      .returning('id');
    expect((await as('bella').get('/notifications')).text).not.toContain('Secret title');
    const opened = await openIt('bella', Number(id));
    expect(opened.status).toBe(200);
    expect(opened.headers.location).toBeUndefined();
    expect(opened.text).toContain('This is no longer available');
    expect(opened.text).not.toContain('Secret title');
    expect(opened.text).not.toContain('Anorexia');
    // Still the owner's alone: someone else's id is a 404 as before.
    expect((await openIt('anna', Number(id))).status).toBe(404);
  });

  it('an approved held message names its living room; a dismissed report on a post names the thread', async () => {
    const room = ids.room('Anorexia living room');
    const [msg] = await t
      .db('messages')
      .insert({
        room_id: room,
        author_id: ids.user('anna'),
        body: 'held words',
        status: 'held',
        client_id: crypto.randomUUID(),
      })
      .returning('id');
    expect((await postForm(as('peermod'), `/moderation/messages/${msg.id}/approve`, {})).status).toBe(303);
    const approved = (await as('anna').get('/notifications')).text;
    expect(approved).toContain(`A moderator approved your message in Anorexia living room (${await subnetName()})`);
    expect(approved).not.toContain('held words');

    const thread = await startThread('anna', 'Reported thread');
    await postForm(as('bella'), `/threads/${thread}/report`, { reason: 'unkind' }, `/threads/${thread}`);
    const report = await t.db('reports').where({ thread_id: thread, status: 'open' }).first();
    expect((await postForm(as('peermod'), `/moderation/reports/${report.id}/dismiss`, {})).status).toBe(303);
    expect((await as('bella').get('/notifications')).text).toContain(
      'The moderators have dealt with a post you reported in the thread ‘Reported thread’ in Eating disorders noticeboard',
    );
  });

  it('the backfill gives earlier notifications their target from the link they were stored with', async () => {
    const thread = await startThread('anna', 'Before targets');
    const [{ id }] = await t
      .db('notifications')
      .insert({
        user_id: ids.user('anna'),
        kind: 'thread_reply',
        link: `/threads/${thread}#latest`,
        room_id: edBoard(),
      })
      .returning('id');
    const [{ id: other }] = await t
      .db('notifications')
      .insert({ user_id: ids.user('anna'), kind: 'post_approved', link: '/elsewhere' })
      .returning('id');
    await backfill(t.db);
    expect(await t.db('notifications').where({ id }).first()).toMatchObject({
      target_kind: 'thread',
      target_id: thread,
    });
    expect(await t.db('notifications').where({ id: other }).first()).toMatchObject({
      target_kind: null,
      target_id: null,
    });
    expect((await as('anna').get('/notifications')).text).toContain(
      'Someone replied to your thread ‘Before targets’ in Eating disorders noticeboard',
    );
  });
});
