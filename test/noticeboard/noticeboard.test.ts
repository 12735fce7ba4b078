import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { ask, collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['admin', 'clinician', 'peermod', 'anna', 'bella', 'carer']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;

const edBoard = () => ids.room('Eating disorders noticeboard');
const anorexiaBoard = () => ids.room('Anorexia noticeboard');

async function startThread(user: string, roomId: string, title: string, body = 'Some words') {
  const res = await postForm(as(user), `/rooms/${roomId}/threads`, { title, body }, `/rooms/${roomId}`);
  const id = /\/threads\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '';
  return { res, id };
}
const reply = (user: string, threadId: string, body: string) =>
  postForm(as(user), `/threads/${threadId}/replies`, { body }, `/threads/${threadId}`);

describe('threads and replies', () => {
  it('anna starts a thread; members of the room read it; peermod replies with a badge; it shows "answered by staff"', async () => {
    const { res, id } = await startThread(
      'anna',
      edBoard(),
      'How do you manage evenings?',
      'Evenings are\nthe hardest.',
    );
    expect(res.status).toBe(303);
    const page = await as('bella').get(`/threads/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Evenings are\nthe hardest.');
    expect((await reply('peermod', id, 'Many people find a plan helps.')).status).toBe(303);
    const after = await as('anna').get(`/threads/${id}`);
    expect(after.text).toMatch(
      /<strong>Sam<\/strong> <span class="nhsuk-tag nhsuk-tag--blue sharon-badge">Peer moderator<\/span>/,
    );
    expect(after.text).toContain('Answered by staff');
    expect((await as('anna').get(`/rooms/${edBoard()}`)).text).toContain('Answered by staff');
  });

  it('text is escaped with line breaks kept, and empty or oversized posts get clear errors with input kept', async () => {
    const { id } = await startThread('anna', edBoard(), 'Escaping <b>test</b>', '<script>alert(1)</script>');
    const page = await as('bella').get(`/threads/${id}`);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const empty = await postForm(
      as('anna'),
      `/rooms/${edBoard()}/threads`,
      { title: 'Has a title', body: '' },
      `/rooms/${edBoard()}`,
    );
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Write your message');
    expect(empty.text).toContain('value="Has a title"');
  });

  it('the board paginates: 20 threads a page, newest activity first', async () => {
    for (let i = 0; i < 22; i++)
      await t.db('threads').insert({
        room_id: ids.room('Eating disorders noticeboard'),
        author_id: ids.user('peermod'),
        title: `Bulk ${i}`,
        body: 'x',
        last_activity_at: new Date(Date.now() - (i + 100) * 60_000),
      });
    const first = await as('anna').get(`/rooms/${edBoard()}`);
    expect((first.text.match(/href="\/threads\//g) ?? []).length).toBe(20);
    expect(first.text).toContain('Older threads');
    const second = await as('anna').get(`/rooms/${edBoard()}?page=2`);
    expect(second.text).toContain('Bulk 21');
    expect((await as('anna').get(`/rooms/${edBoard()}?page=0`)).status).toBe(400);
  });
});

describe('who can read which thread, by URL and by socket', () => {
  it('bella cannot read the anorexia noticeboard or its threads; carer and admin neither', async () => {
    const { id } = await startThread('anna', anorexiaBoard(), 'Only for the anorexia group');
    for (const [user, status] of [
      ['clinician', 200],
      ['peermod', 200],
      ['anna', 200],
      ['bella', 404],
      ['carer', 404],
      ['admin', 404],
    ] as const) {
      expect(`${user} board ${(await as(user).get(`/rooms/${anorexiaBoard()}`)).status}`).toBe(
        `${user} board ${status}`,
      );
      expect(`${user} thread ${(await as(user).get(`/threads/${id}`)).status}`).toBe(`${user} thread ${status}`);
      expect(`${user} report ${(await as(user).get(`/threads/${id}/report`)).status}`).toBe(`${user} report ${status}`);
    }
    const post = await postForm(as('bella'), `/threads/${id}/replies`, { body: 'sneaking in' });
    expect(post.status).toBe(404);
    const base = await t.listen();
    const bella = openSocket(base, await sessionCookie(base, 'bella'));
    await connected(bella);
    const heard = collect(bella, 'notification:new');
    expect(await ask(bella, 'room:join', { roomId: anorexiaBoard() })).toEqual({ ok: false, error: 'not_found' });
    await reply('peermod', id, 'A reply anna is told about');
    // A barrier: a reply to bella's own thread notifies her after any notice of the first reply would have.
    const own = await startThread('bella', edBoard(), 'Bella asks everyone');
    await reply('peermod', own.id, 'A reply bella is told about');
    await eventually(() => heard.length > 0);
    expect(heard).toEqual([{ kind: 'thread_reply' }]);
    bella.disconnect();
  });
});

describe('pre-moderation, watched words and staff tools', () => {
  it('a pre-moderated room holds member posts until staff approve; the author sees theirs waiting and is told', async () => {
    await t.db('rooms').where({ id: edBoard() }).update({ pre_moderated: true });
    const { id, res } = await startThread('anna', edBoard(), 'Held until approved');
    expect(res.headers.location).toContain('done=held');
    expect((await as('anna').get(`/threads/${id}`)).text).toContain('Waiting for a moderator');
    expect((await as('bella').get(`/threads/${id}`)).status).toBe(404);
    expect((await as('bella').get(`/rooms/${edBoard()}`)).text).not.toContain('Held until approved');
    const staffThread = await startThread('peermod', edBoard(), 'Staff are never held');
    expect(staffThread.res.headers.location).toContain('done=posted');
    const queueUrl = `/subnets/${ids.subnet('eating-disorders')}/moderation`;
    expect((await as('peermod').get(queueUrl)).text).toContain('Held until approved');
    expect((await postForm(as('peermod'), `/moderation/threads/${id}/approve`, {}, queueUrl)).status).toBe(303);
    expect((await as('bella').get(`/threads/${id}`)).status).toBe(200);
    expect(
      await t
        .db('notifications')
        .where({ user_id: ids.user('anna'), kind: 'post_approved' })
        .first(),
    ).toBeTruthy();
    await t.db('rooms').where({ id: edBoard() }).update({ pre_moderated: false });
  });

  it('watched words apply exactly as in chat: contact details are held, alert words alert', async () => {
    const held = await startThread('anna', edBoard(), 'Contact me', 'my number is 07700 900123');
    expect(held.res.headers.location).toContain('done=held');
    const alerted = await startThread('anna', edBoard(), 'A hard night', 'I want to end it all');
    expect(alerted.res.headers.location).toContain('done=posted');
    expect(await t.db('alerts').where({ thread_id: alerted.id }).first()).toMatchObject({ matched: 'end it all' });
  });

  it('a locked thread takes no more member replies (staff may still answer); removal hides it but keeps it', async () => {
    const { id } = await startThread('anna', edBoard(), 'To be locked');
    const threadUrl = `/threads/${id}`;
    expect((await postForm(as('peermod'), `${threadUrl}/lock`, {}, threadUrl)).status).toBe(303);
    const refused = await reply('anna', id, 'one more thing');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('This thread is locked');
    expect((await reply('clinician', id, 'Closing this thread now.')).status).toBe(303);
    expect((await postForm(as('bella'), `${threadUrl}/lock`, {}, threadUrl)).status).toBe(403);
    expect((await postForm(as('clinician'), `${threadUrl}/remove`, { reason: 'off topic' }, threadUrl)).status).toBe(
      303,
    );
    expect((await as('anna').get(threadUrl)).status).toBe(404);
    expect(await t.db('threads').where({ id }).first()).toMatchObject({
      status: 'removed',
      moderation_reason: 'off topic',
    });
    expect(await t.db('audit_log').where({ action: 'noticeboard.thread.lock', target_id: id }).first()).toBeTruthy();
  });

  it('staff pin a thread and move it to another noticeboard of the same subnet only', async () => {
    const { id } = await startThread('anna', edBoard(), 'Move me');
    const url = `/threads/${id}`;
    await postForm(as('peermod'), `${url}/pin`, {}, url);
    expect((await as('anna').get(`/rooms/${edBoard()}`)).text).toMatch(/Move me<\/a><\/h2>\s*<p[^>]*>[\s\S]*?Pinned/);
    expect((await postForm(as('peermod'), `${url}/move`, { roomId: ids.room('Carers noticeboard') }, url)).status).toBe(
      400,
    );
    expect((await postForm(as('peermod'), `${url}/move`, { roomId: anorexiaBoard() }, url)).status).toBe(303);
    expect((await t.db('threads').where({ id }).first()).room_id).toBe(anorexiaBoard());
    expect((await as('bella').get(url)).status).toBe(404);
  });

  it('a member reports a reply; staff dismiss it; the reporter is told', async () => {
    const { id } = await startThread('peermod', edBoard(), 'Report target');
    await reply('anna', id, 'a reply bella dislikes');
    const r = await t.db('replies').where({ thread_id: id }).first();
    expect(
      (await postForm(as('bella'), `/replies/${r.id}/report`, { reason: 'felt unkind' }, `/replies/${r.id}/report`))
        .status,
    ).toBe(303);
    const queueUrl = `/subnets/${ids.subnet('eating-disorders')}/moderation`;
    const queue = await as('clinician').get(queueUrl);
    expect(queue.text).toContain('felt unkind');
    const report = await t.db('reports').where({ reply_id: r.id }).first();
    expect((await postForm(as('clinician'), `/moderation/reports/${report.id}/dismiss`, {}, queueUrl)).status).toBe(
      303,
    );
    expect(
      await t
        .db('notifications')
        .where({ user_id: ids.user('bella'), kind: 'report_outcome' })
        .first(),
    ).toBeTruthy();
  });
});

describe('notifications', () => {
  it('a reply in my thread raises my unread count; opening it marks it read; others cannot open it', async () => {
    await t
      .db('notifications')
      .where({ user_id: ids.user('anna') })
      .update({ read_at: new Date() });
    const { id } = await startThread('anna', edBoard(), 'Notify me');
    await reply('clinician', id, 'Here is an answer.');
    const lobby = await as('anna').get('/');
    expect(lobby.text).toMatch(/id="unread-count">1<span class="nhsuk-u-visually-hidden"> unread/);
    const n = await t
      .db('notifications')
      .where({ user_id: ids.user('anna'), kind: 'thread_reply' })
      .orderBy('id', 'desc')
      .first();
    expect(n.link).toBe(`/threads/${id}#latest`);
    expect(JSON.stringify(n)).not.toContain('Here is an answer');
    expect((await postForm(as('bella'), `/notifications/${n.id}/open`, {}, '/notifications')).status).toBe(404);
    const open = await postForm(as('anna'), `/notifications/${n.id}/open`, {}, '/notifications');
    expect(open.headers.location).toBe(`/threads/${id}#latest`);
    expect((await as('anna').get('/')).text).not.toMatch(/id="unread-count">\d/);
  });

  it('a notification pointing into a room the member can no longer enter is not listed or counted', async () => {
    await t
      .db('notifications')
      .where({ user_id: ids.user('bella') })
      .update({ read_at: new Date() });
    const [{ id }] = await t
      .db('notifications')
      .insert({ user_id: ids.user('bella'), kind: 'thread_reply', link: '/threads/x', room_id: anorexiaBoard() })
      .returning('id');
    const page = await as('bella').get('/notifications');
    expect(page.text).not.toContain(`/notifications/${id}/open`);
    expect((await as('bella').get('/')).text).not.toMatch(/id="unread-count">\d/);
    expect((await as('anna').get('/notifications')).status).toBe(200);
  });
});
