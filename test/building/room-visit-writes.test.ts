import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makeMessage, makeMessages, makeRoom, makeSubnet, makeUser, type MadeSubnet } from '../helpers/factories.js';
import { sessionCookie } from '../helpers/sockets.js';
import { createVisitRecorder, VISIT_REWRITE_MS } from '../../src/building/room-visits.service.js';

// Issue 14 item 8: a room page's view writes the visit (the lobby's "new since your last visit"),
// but a re-view of a living room under a minute later that shows nothing newer skips the write.
// What the lobby says must not change.

let t: TestApp;
let base: string;
let sub: MadeSubnet;
let lounge: string;

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  sub = await makeSubnet(t.db, { cohorts: ['alpha'] });
  lounge = await makeRoom(t.db, { subnetId: sub.id, name: 'Alpha lounge', cohortIds: [cohortId()] });
});
afterAll(async () => {
  await t.close();
});

function cohortId(): string {
  const id = sub.cohorts.alpha;
  if (!id) throw new Error('no cohort');
  return id;
}

async function member(): Promise<{ id: string; cookie: string }> {
  const u = await makeUser(t.db, { subnetId: sub.id, cohortId: cohortId() });
  return { id: u.id, cookie: await sessionCookie(base, u.username) };
}

const get = (path: string, cookie: string) => request(base).get(path).set('Cookie', cookie);

async function view(cookie: string, query = ''): Promise<void> {
  expect((await get(`/rooms/${lounge}${query}`, cookie)).status).toBe(200);
}

/** The lobby's words for the lounge (tags and spacing flattened). */
async function lifeOfLounge(cookie: string): Promise<string | undefined> {
  const res = await get('/', cookie);
  expect(res.status).toBe(200);
  return new RegExp(`<p[^>]*id="activity-${lounge}"[^>]*>([\\s\\S]*?)</p>`)
    .exec(res.text)?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The stored visit: when, and the newest message id it recorded. */
async function storedVisit(userId: string): Promise<{ seenAt: Date; lastMessageId: number } | undefined> {
  const row = await t.db('room_visits').where({ user_id: userId, room_id: lounge }).first();
  return row && { seenAt: row.seen_at as Date, lastMessageId: Number(row.last_message_id ?? 0) };
}

describe('a living-room re-view within a minute', () => {
  it('with nothing new shown, writes nothing and the lobby still says "Nothing new"', async () => {
    const me = await member();
    const them = await member();
    await makeMessage(t.db, { roomId: lounge, authorId: them.id });
    await view(me.cookie);
    const first = await storedVisit(me.id);
    expect(first).toBeDefined();
    await view(me.cookie);
    expect(await storedVisit(me.id)).toEqual(first);
    expect(await lifeOfLounge(me.cookie)).toBe('Nobody here now. Nothing new.');
  });

  it('showing messages that arrived since, writes the visit, so the lobby no longer counts them', async () => {
    const me = await member();
    const them = await member();
    await view(me.cookie);
    await makeMessages(
      t.db,
      [1, 2, 3].map(() => ({ roomId: lounge, authorId: them.id })),
    );
    expect(await lifeOfLounge(me.cookie)).toBe('Nobody here now. 3 new messages since your last visit.');
    await view(me.cookie);
    expect(await lifeOfLounge(me.cookie)).toBe('Nobody here now. Nothing new.');
  });

  it('writes when any message came in since, even one held for moderation that the page does not show', async () => {
    const me = await member();
    const them = await member();
    await view(me.cookie);
    const held = await makeMessage(t.db, { roomId: lounge, authorId: them.id, status: 'held' });
    await view(me.cookie);
    expect((await storedVisit(me.id))?.lastMessageId).toBe(held);
    await t.db('messages').where({ id: held }).update({ status: 'visible' });
    expect(await lifeOfLounge(me.cookie)).toBe('Nobody here now. Nothing new.');
  });

  it('an older page (?before=) always writes, as before', async () => {
    const me = await member();
    const them = await member();
    const [oldest] = await makeMessages(
      t.db,
      [1, 2].map(() => ({ roomId: lounge, authorId: them.id })),
    );
    await view(me.cookie);
    const first = await storedVisit(me.id);
    await t
      .db('room_visits')
      .where({ user_id: me.id, room_id: lounge })
      .update({ seen_at: t.db.raw("now() - interval '10 seconds'") });
    const stale = await storedVisit(me.id);
    await view(me.cookie, `?before=${String(oldest)}`);
    const after = await storedVisit(me.id);
    expect(after?.lastMessageId).toBe(first?.lastMessageId);
    expect(after?.seenAt.getTime()).toBeGreaterThan(stale?.seenAt.getTime() ?? Infinity);
  });
});

describe('the visit recorder', () => {
  it('writes again once a minute has passed since its last write, even with nothing new', async () => {
    const me = await member();
    let now = Date.now();
    const visits = createVisitRecorder(t.db, () => now);
    await visits.record(me.id, lounge, 0);
    await t
      .db('room_visits')
      .where({ user_id: me.id, room_id: lounge })
      .update({ seen_at: t.db.raw("now() - interval '2 minutes'") });
    const stale = await storedVisit(me.id);
    now += VISIT_REWRITE_MS - 1;
    await visits.record(me.id, lounge, 0);
    expect(await storedVisit(me.id)).toEqual(stale);
    now += 1;
    await visits.record(me.id, lounge, 0);
    expect((await storedVisit(me.id))?.seenAt.getTime()).toBeGreaterThan(stale?.seenAt.getTime() ?? Infinity);
  });

  it('always writes a visit it has not written itself (another process, or a live connection, may have)', async () => {
    const me = await member();
    await t
      .db('room_visits')
      .insert({ user_id: me.id, room_id: lounge, seen_at: t.db.raw("now() - interval '1 hour'") });
    await createVisitRecorder(t.db).record(me.id, lounge, 0);
    const visit = await storedVisit(me.id);
    expect(Date.now() - (visit?.seenAt.getTime() ?? 0)).toBeLessThan(60_000);
  });
});
