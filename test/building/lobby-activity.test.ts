import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { makeMessage, makeMessages, makeRoom, makeSubnet, makeUser, type MadeSubnet } from '../helpers/factories.js';
import { ask, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { erasePersonalData, exportPersonalData } from '../../src/privacy/registry.js';

// Issue 15 item 2: the members' lobby shows each room's life (people there now, what is new since
// the person's last visit), only for the rooms the policy lets them enter.

let t: TestApp;
let base: string;
let sub: MadeSubnet;
const rooms = { lounge: '', other: '', board: '', library: '', tv: '' };
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  sub = await makeSubnet(t.db, { cohorts: ['alpha', 'beta'] });
  rooms.lounge = await makeRoom(t.db, { subnetId: sub.id, name: 'Alpha lounge', cohortIds: [cohort('alpha')] });
  rooms.other = await makeRoom(t.db, { subnetId: sub.id, name: 'Beta lounge', cohortIds: [cohort('beta')] });
  rooms.board = await makeRoom(t.db, { subnetId: sub.id, kind: 'noticeboard', name: 'Shared board' });
  rooms.library = await makeRoom(t.db, { subnetId: sub.id, kind: 'library', name: 'Shared library' });
  rooms.tv = await makeRoom(t.db, { subnetId: sub.id, kind: 'television', name: 'Shared television' });
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.close();
});

function cohort(slug: 'alpha' | 'beta'): string {
  const id = sub.cohorts[slug];
  if (!id) throw new Error(`no cohort ${slug}`);
  return id;
}

/** A new member of the subnet in a cohort, signed in: their id and session cookie. */
async function member(which: 'alpha' | 'beta'): Promise<{ id: string; cookie: string }> {
  const u = await makeUser(t.db, { subnetId: sub.id, cohortId: cohort(which) });
  return { id: u.id, cookie: await sessionCookie(base, u.username) };
}

const get = (path: string, cookie: string) => request(base).get(path).set('Cookie', cookie);

/** The lobby's words for one room (tags and spacing flattened), or undefined when it is not there. */
async function lifeOf(cookie: string, roomId: string): Promise<string | undefined> {
  const res = await get('/', cookie);
  expect(res.status).toBe(200);
  const p = new RegExp(`<p[^>]*id="activity-${roomId}"[^>]*>([\\s\\S]*?)</p>`).exec(res.text);
  return p?.[1]
    ?.replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function visit(cookie: string, roomId: string): Promise<void> {
  expect((await get(`/rooms/${roomId}`, cookie)).status).toBe(200);
}

async function joinedSocket(cookie: string, roomId: string): Promise<Socket> {
  const s = openSocket(base, cookie);
  open.push(s);
  await connected(s);
  expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);
  return s;
}

describe('new since your last visit', () => {
  it('counts other people’s visible messages since the member last opened the living room, and nothing once they open it again', async () => {
    const me = await member('alpha');
    const them = await member('alpha');
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('Nobody here now. You have not visited yet.');
    await visit(me.cookie, rooms.lounge);
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('Nobody here now. Nothing new.');

    await makeMessages(
      t.db,
      [1, 2, 3, 4, 5].map(() => ({ roomId: rooms.lounge, authorId: them.id })),
    );
    await makeMessage(t.db, { roomId: rooms.lounge, authorId: me.id }); // my own: not news to me
    await makeMessage(t.db, { roomId: rooms.lounge, authorId: them.id, status: 'held' }); // not shown to members
    const life = await lifeOf(me.cookie, rooms.lounge);
    expect(life).toBe('Nobody here now. 5 new messages since your last visit.');
    const lobby = await get('/', me.cookie);
    expect(lobby.text).toContain(`aria-describedby="activity-${rooms.lounge}"`);

    await visit(me.cookie, rooms.lounge);
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('Nobody here now. Nothing new.');
  });

  it('stops counting at 99, saying "more than 99"', async () => {
    const me = await member('alpha');
    const them = await member('alpha');
    await visit(me.cookie, rooms.lounge);
    await makeMessages(
      t.db,
      Array.from({ length: 120 }, () => ({ roomId: rooms.lounge, authorId: them.id })),
    );
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe(
      'Nobody here now. More than 99 new messages since your last visit.',
    );
  });

  it('counts new threads and replies on the noticeboard, but not the member’s own or held ones', async () => {
    const me = await member('alpha');
    const them = await member('beta');
    await visit(me.cookie, rooms.board);
    const thread = async (authorId: string, status = 'visible') =>
      (
        await t
          .db('threads')
          .insert({ room_id: rooms.board, author_id: authorId, title: 'A thread', body: 'Body', status })
          .returning('id')
      )[0].id as string;
    const [a] = [await thread(them.id), await thread(them.id), await thread(me.id), await thread(them.id, 'held')];
    const mine = await thread(me.id);
    await t.db('replies').insert([
      { thread_id: a, author_id: them.id, body: 'Reply' },
      { thread_id: mine, author_id: them.id, body: 'Reply' },
      { thread_id: mine, author_id: them.id, body: 'Reply' },
      { thread_id: mine, author_id: me.id, body: 'Mine' },
      { thread_id: mine, author_id: them.id, body: 'Held', status: 'held' },
    ]);
    expect(await lifeOf(me.cookie, rooms.board)).toBe('2 new threads and 3 new replies since your last visit.');
    await visit(me.cookie, rooms.board);
    expect(await lifeOf(me.cookie, rooms.board)).toBe('Nothing new.');
  });

  it('counts newly published library items, not drafts', async () => {
    const me = await member('beta');
    await visit(me.cookie, rooms.library);
    const item = (status: 'draft' | 'published') => ({
      room_id: rooms.library,
      title: `Leaflet ${status}`,
      source: 'NHS',
      reviewed_on: '2026-01-01',
      next_review_on: '2027-01-01',
      status,
      published_at: status === 'published' ? t.db.fn.now() : null,
    });
    await t.db('library_items').insert([item('published'), item('draft')]);
    expect(await lifeOf(me.cookie, rooms.library)).toBe('1 new item since your last visit.');
  });

  it('counts newly published videos on the television', async () => {
    const me = await member('alpha');
    await visit(me.cookie, rooms.tv);
    const [file] = await t
      .db('files')
      .insert({ storage_name: `v${Date.now()}`, original_name: 'talk.mp4', mime: 'video/mp4', size: 1 })
      .returning('id');
    const video = (status: 'draft' | 'published') => ({
      room_id: rooms.tv,
      title: `Talk ${status}`,
      video_file_id: file.id,
      status,
      published_at: status === 'published' ? t.db.fn.now() : null,
    });
    await t.db('videos').insert([video('published'), video('published'), video('draft')]);
    expect(await lifeOf(me.cookie, rooms.tv)).toBe('2 new videos since your last visit.');
  });

  it('records the visit when the member’s live connection to the living room ends', async () => {
    const me = await member('alpha');
    const them = await member('alpha');
    await visit(me.cookie, rooms.lounge);
    const live = await joinedSocket(me.cookie, rooms.lounge);
    await makeMessage(t.db, { roomId: rooms.lounge, authorId: them.id });
    live.disconnect(); // the tab closed
    await eventually(async () => (await lifeOf(me.cookie, rooms.lounge)) === 'Nobody here now. Nothing new.');
  });

  it('records the visit when the member leaves the living room they were reading live', async () => {
    const me = await member('alpha');
    const them = await member('alpha');
    await visit(me.cookie, rooms.lounge);
    const live = await joinedSocket(me.cookie, rooms.lounge);
    await makeMessages(
      t.db,
      [1, 2].map(() => ({ roomId: rooms.lounge, authorId: them.id })),
    );
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('1 person here now. 2 new messages since your last visit.');
    expect((await ask(live, 'room:leave', { roomId: rooms.lounge })).ok).toBe(true);
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('Nobody here now. Nothing new.');
  });
});

describe('people here now', () => {
  it('counts each person in the living room once, however many tabs they have open', async () => {
    const one = await member('alpha');
    const two = await member('alpha');
    const me = await member('alpha');
    await joinedSocket(one.cookie, rooms.lounge);
    await joinedSocket(one.cookie, rooms.lounge);
    const second = await joinedSocket(two.cookie, rooms.lounge);
    expect(await lifeOf(me.cookie, rooms.lounge)).toMatch(/^2 people here now\. /);
    second.disconnect();
    await eventually(async () => (await lifeOf(me.cookie, rooms.lounge))?.startsWith('1 person here now.') ?? false);
  });

  it('loads the lobby without "people here now" when presence does not answer within a second', async () => {
    const me = await member('alpha');
    const original = t.realtime.peopleInRooms;
    t.realtime.peopleInRooms = () => new Promise(() => undefined); // a node that never answers
    try {
      const started = Date.now();
      expect(await lifeOf(me.cookie, rooms.lounge)).toBe('You have not visited yet.');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      t.realtime.peopleInRooms = original;
    }
  });

  it('shows no presence for rooms that are not living rooms', async () => {
    const me = await member('alpha');
    expect(await lifeOf(me.cookie, rooms.board)).toBe('You have not visited yet.');
  });
});

describe('only rooms the member may enter', () => {
  it('a living room of another cohort is neither listed nor counted, even with a visit on record from before', async () => {
    const me = await member('beta');
    const them = await member('alpha');
    // A visit left from when this person could enter it (say, before a move between cohorts).
    await t.db('room_visits').insert({ user_id: me.id, room_id: rooms.lounge, last_message_id: 0 });
    await makeMessage(t.db, { roomId: rooms.lounge, authorId: them.id, body: 'Alpha only' });
    const lobby = await get('/', me.cookie);
    expect(lobby.text).not.toContain(rooms.lounge);
    expect(lobby.text).not.toContain('Alpha lounge');
    expect(lobby.text).not.toContain('Alpha only');
    expect(await lifeOf(me.cookie, rooms.other)).toBe('Nobody here now. You have not visited yet.');
  });

  it('a member whose membership ends sees the rooms disappear on the next lobby load', async () => {
    const me = await member('alpha');
    await visit(me.cookie, rooms.lounge);
    expect(await lifeOf(me.cookie, rooms.lounge)).toBe('Nobody here now. Nothing new.');
    await t
      .db('memberships')
      .where({ user_id: me.id })
      .update({ ends_at: t.db.raw("now() - interval '1 second'") });
    const lobby = await get('/', me.cookie);
    expect(lobby.status).toBe(200);
    for (const id of Object.values(rooms)) expect(lobby.text).not.toContain(id);
    expect(lobby.text).not.toContain('activity-');
  });
});

describe('the visits are personal data', () => {
  it('are in the member’s download and are forgotten on erasure', async () => {
    const me = await member('alpha');
    await visit(me.cookie, rooms.lounge);
    await visit(me.cookie, rooms.board);
    const data = await exportPersonalData(t.db, me.id);
    expect((data.roomVisits as { room: string }[]).map((v) => v.room).sort()).toEqual(['Alpha lounge', 'Shared board']);
    await t.db.transaction((trx) => erasePersonalData(trx, me.id, 'keep'));
    expect(await t.db('room_visits').where({ user_id: me.id }).pluck('room_id')).toEqual([]);
  });
});
