import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser, type MadeUser } from '../helpers/factories.js';

// Issue 15 item 4, for the noticeboards: removing a reported thread or reply from the moderation
// queue lands on the same page as for a chat message, which keeps Mute (in the post's room) and
// Suspend (with a confirmation and a reason) within reach for its author.

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
const ed = () => ids.subnet('eating-disorders');
const queue = (query = '') => `/subnets/${ed()}/moderation${query}`;
const board = () => ids.room('Anorexia noticeboard');

const newMember = () => makeUser(t.db, { subnetId: ed(), cohortId: ids.cohort('eating-disorders/anorexia') });

/** A thread (and, for 'reply', a reply to it) by `author` in the Anorexia noticeboard, reported by bella. */
async function reportedPost(kind: 'thread' | 'reply', author: MadeUser, title = 'Feeling low today') {
  const [thread] = await t
    .db('threads')
    .insert({ room_id: board(), author_id: author.id, title, body: 'the thread body' })
    .returning('id');
  let id = thread.id as string;
  if (kind === 'reply') {
    const [reply] = await t
      .db('replies')
      .insert({ thread_id: id, author_id: author.id, body: 'the reply body' })
      .returning('id');
    id = reply.id as string;
  }
  await t
    .db('reports')
    .insert({ [`${kind}_id`]: id, reporter_id: ids.user('bella'), reason: `reported ${kind} ${id.slice(0, 8)}` });
  return { id, path: `/moderation/${kind === 'thread' ? 'threads' : 'replies'}/${id}` };
}

describe('removing a reported noticeboard post from the queue keeps mute and suspend for its author', () => {
  it('the queue offers removal of a reported thread; it lands on "Thread removed" naming the thread, its author and room, with Mute and Suspend', async () => {
    const author = await newMember();
    const post = await reportedPost('thread', author, 'A thread about dinner');
    const page = await as('clinician').get(queue());
    expect(page.text).toContain(`action="${post.path}/remove"`);

    const removed = await postForm(as('clinician'), `${post.path}/remove`, { reason: 'Unkind' }, queue());
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe(`${post.path}/removed`);
    expect((await t.db('threads').where({ id: post.id }).first()).status).toBe('removed');
    expect((await t.db('reports').where({ thread_id: post.id }).first()).outcome).toBe('removed');

    const followUp = await as('clinician').get(`${post.path}/removed`);
    expect(followUp.status).toBe(200);
    expect(followUp.text).toContain('Thread removed');
    expect(followUp.text).toContain(
      `The thread “A thread about dinner” by ${author.nickname} in Anorexia noticeboard was removed for everyone.`,
    );
    expect(followUp.text).toContain(`action="${post.path}/mute"`);
    expect(followUp.text).toContain(`href="${post.path}/suspend-author"`);
    expect(followUp.text).not.toContain('the thread body');
  });

  it('removing a reported reply lands on "Reply removed"; Mute from it mutes the author in the noticeboard and lands on the queue confirmation', async () => {
    const author = await newMember();
    const post = await reportedPost('reply', author, 'A thread with a reply');
    const removed = await postForm(as('peermod'), `${post.path}/remove`, {}, queue());
    expect(removed.headers.location).toBe(`${post.path}/removed`);
    expect((await t.db('replies').where({ id: post.id }).first()).status).toBe('removed');

    const followUp = await as('peermod').get(`${post.path}/removed`);
    expect(followUp.status).toBe(200);
    expect(followUp.text).toContain('Reply removed');
    expect(followUp.text).toContain(
      `The reply to “A thread with a reply” by ${author.nickname} in Anorexia noticeboard`,
    );
    // A peer moderator mutes; suspending is a clinician's (ACCESS.md).
    expect(followUp.text).toContain(`action="${post.path}/mute"`);
    expect(followUp.text).not.toContain('/suspend-author');

    const muted = await postForm(as('peermod'), `${post.path}/mute`, { minutes: '60' }, `${post.path}/removed`);
    expect(muted.status).toBe(303);
    expect(muted.headers.location).toBe(queue('?done=muted'));
    expect(await t.db('mutes').where({ user_id: author.id, room_id: board() }).first()).toBeTruthy();
    expect((await as('peermod').get(queue('?done=muted'))).text).toContain('The member was muted in that room.');
    expect((await as('peermod').get(`${post.path}/removed`)).text).toContain(
      `${author.nickname} is muted in Anorexia noticeboard until`,
    );
    const audit = await t.db('audit_log').where({ action: 'member.mute', target_id: author.id }).first();
    expect(audit).toBeTruthy();
  });

  it('Suspend asks for a reason (kept at 400 when too short), then suspends the author and lands on the queue confirmation', async () => {
    const author = await newMember();
    const post = await reportedPost('thread', author);
    await postForm(as('clinician'), `${post.path}/remove`, {}, queue());
    const confirm = await as('clinician').get(`${post.path}/suspend-author`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(author.nickname);
    expect(confirm.text).toContain(`action="${post.path}/suspend-author"`);

    const short = await postForm(as('clinician'), `${post.path}/suspend-author`, { reason: 'x' }, queue());
    expect(short.status).toBe(400);
    expect(short.text).toContain('nhsuk-error-summary');
    expect((await t.db('users').where({ id: author.id }).first()).status).toBe('active');

    const reason = 'Threatened another member in a thread';
    const done = await postForm(as('clinician'), `${post.path}/suspend-author`, { reason }, queue());
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(queue('?done=suspended'));
    expect((await t.db('users').where({ id: author.id }).first()).status).toBe('suspended');
    const audit = await t.db('audit_log').where({ action: 'account.suspend', target_id: author.id }).first();
    expect(audit.details).toMatchObject({ subnet_id: ed(), thread_id: post.id, reason });
    const after = await as('clinician').get(`${post.path}/removed`);
    expect(after.text).toContain('This account is already suspended.');
    expect(after.text).not.toContain('/suspend-author"');
  });

  it('members cannot reach the page or its forms (403 who can see the room, 404 who cannot); it exists only once removed', async () => {
    const author = await newMember();
    const post = await reportedPost('reply', author);
    expect((await as('clinician').get(`${post.path}/removed`)).status).toBe(404);
    expect((await postForm(as('anna'), `${post.path}/remove`, {}, '/')).status).toBe(403);
    expect((await t.db('replies').where({ id: post.id }).first()).status).toBe('visible');
    await postForm(as('clinician'), `${post.path}/remove`, {}, queue());
    expect((await as('anna').get(`${post.path}/removed`)).status).toBe(403);
    expect((await as('bella').get(`${post.path}/removed`)).status).toBe(404);
    expect((await postForm(as('anna'), `${post.path}/mute`, { minutes: '60' }, '/')).status).toBe(403);
    expect((await postForm(as('anna'), `${post.path}/suspend-author`, { reason: 'long enough reason' })).status).toBe(
      403,
    );
    expect(await t.db('mutes').where({ user_id: author.id }).first()).toBeUndefined();
    expect((await as('clinician').get('/moderation/replies/not-a-uuid/removed')).status).toBe(400);
  });
});
