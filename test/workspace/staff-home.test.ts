import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport, makeRoom, makeSubnet, makeUser, type MadeSubnet } from '../helpers/factories.js';
import { collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { findSessionUser } from '../../src/auth/auth.service.js';
import { staffHome, type WorkspaceSubnet } from '../../src/workspace/workspace.service.js';
import { waitedFor } from '../../src/workspace/waited.js';

// Issue 15 item 1: the staff home, "What needs you now". Counts and ages per subnet, read for all
// of a person's subnets at once; members keep their lobby; admins land on their tools.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let a: MadeSubnet; // the clinician and the peer moderator work here
let b: MadeSubnet; // only the clinician works here
let clinicianId = '';
let peerId = '';
const NOW = new Date();
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const HELD_TEXT = 'a held message nobody else may read';

beforeAll(async () => {
  t = await startTestApp({ ALERT_ESCALATION_MINUTES: '10' });
  ids = await demoIds(t.db);
  a = await makeSubnet(t.db, { name: 'Service A' });
  b = await makeSubnet(t.db, { name: 'Service B' });
  clinicianId = (await makeUser(t.db, { role: 'clinician', subnetId: a.id })).id;
  await t.db('memberships').insert({ user_id: clinicianId, subnet_id: b.id, cohort_id: null });
  peerId = (await makeUser(t.db, { role: 'peer_moderator', subnetId: a.id })).id;
  const member = (await makeUser(t.db, { subnetId: a.id, cohortId: a.cohorts.everyone })).id;
  const memberB = (await makeUser(t.db, { subnetId: b.id, cohortId: b.cohorts.everyone })).id;
  const livingRoom = await makeRoom(t.db, { subnetId: a.id, name: 'A living room' });
  const board = await makeRoom(t.db, { subnetId: a.id, kind: 'noticeboard', name: 'A noticeboard' });
  // Subnet A: two unacknowledged alerts (one past the 10-minute escalation time), one acknowledged;
  // one held message (2 hours), one held thread, one open report and one closed.
  const said = await makeMessage(t.db, { roomId: livingRoom, authorId: member, createdAt: ago(200) });
  await t.db('alerts').insert([
    { subnet_id: a.id, message_id: said, matched: 'x', created_at: ago(45) },
    { subnet_id: a.id, message_id: said, matched: 'x', created_at: ago(3) },
    { subnet_id: a.id, message_id: said, matched: 'x', created_at: ago(500), acknowledged_at: ago(400) },
  ]);
  await makeMessage(t.db, {
    roomId: livingRoom,
    authorId: member,
    status: 'held',
    body: HELD_TEXT,
    createdAt: ago(125),
  });
  await t.db('threads').insert({ room_id: board, author_id: member, title: 'T', body: 'B', status: 'held' });
  await makeReport(t.db, { messageId: said, reporterId: member });
  const closed = await makeMessage(t.db, { roomId: livingRoom, authorId: member });
  await makeReport(t.db, { messageId: closed, reporterId: member });
  await t.db('reports').where({ message_id: closed }).update({ status: 'closed' });
  // Subnet B: a care-team conversation awaiting a reply for 3 hours, one answered.
  await t.db('care_conversations').insert([
    { subnet_id: b.id, member_id: memberB, awaiting_since: ago(185) },
    { subnet_id: b.id, member_id: member, awaiting_since: null },
  ]);
  await t.db('duty_sessions').insert({ user_id: peerId, subnet_id: a.id });
});
afterAll(() => t.close());

async function homeOf(userId: string) {
  const actor = await findSessionUser(t.db, userId);
  if (!actor) throw new Error('no such user');
  return staffHome({ db: t.db, realtime: t.realtime, config: t.config }, actor, NOW);
}
const lineOf = (s: WorkspaceSubnet | undefined, key: string) => s?.waiting.find((w) => w.key === key);

describe('what needs you now: the counts', () => {
  it('a clinician of two subnets sees each one: alerts with the overdue one, held, reports and care team, each with its oldest age', async () => {
    const home = await homeOf(clinicianId);
    expect(home.summary.map((s) => s.name)).toEqual(['Service A', 'Service B']);
    const [sa, sb] = home.summary;
    expect(lineOf(sa, 'alerts')).toMatchObject({ count: 2, overdue: 1, oldest: 'oldest waiting 45 minutes' });
    expect(lineOf(sa, 'held_message')).toMatchObject({ count: 1, oldest: 'oldest waiting 2 hours' });
    expect(lineOf(sa, 'held_message')?.href).toBe(`/subnets/${a.id}/moderation#held`);
    expect(lineOf(sa, 'held_post')).toMatchObject({ count: 1 });
    expect(lineOf(sa, 'open_report')).toMatchObject({ count: 1 });
    expect(lineOf(sa, 'care')).toMatchObject({ count: 0, oldest: null });
    expect(lineOf(sb, 'care')).toMatchObject({ count: 1, oldest: 'oldest waiting 3 hours' });
    expect(lineOf(sb, 'care')?.href).toBe(`/subnets/${b.id}/care-team`);
    expect(lineOf(sb, 'alerts')).toMatchObject({ count: 0, overdue: 0, oldest: null });
    expect(sb?.anyWaiting).toBe(true);
    expect(sa?.onDuty.map((p) => p.badge)).toEqual(['Peer moderator']);
    expect(sb?.onDuty).toEqual([]);
    expect(sa?.waiting.map((w) => w.sentence)).toEqual([
      '2 unacknowledged alerts (1 overdue)',
      '1 held message',
      '1 held noticeboard post',
      '1 open report',
      '0 care-team conversations awaiting a reply',
    ]);
    expect(JSON.stringify(home.summary)).not.toContain(HELD_TEXT);
  });

  it('a peer moderator sees only their subnet, and no care-team line where the subnet keeps care-team messages to its clinicians', async () => {
    const home = await homeOf(peerId);
    expect(home.summary.map((s) => s.name)).toEqual(['Service A']);
    expect(lineOf(home.summary[0], 'alerts')).toMatchObject({ count: 2, overdue: 1 });
    expect(lineOf(home.summary[0], 'held_message')).toMatchObject({ count: 1 });
    expect(lineOf(home.summary[0], 'care')).toBeUndefined();
    await t.db('subnets').where({ id: a.id }).update({ care_team_includes_peer_moderators: true });
    expect(lineOf((await homeOf(peerId)).summary[0], 'care')).toMatchObject({ count: 0 });
    await t.db('subnets').where({ id: a.id }).update({ care_team_includes_peer_moderators: false });
  });

  it('ages are said in plain words, whole units rounded down', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const at = (m: number) => new Date(now.getTime() - m * 60_000);
    expect([0, 1, 59, 60, 119, 47 * 60, 48 * 60, 75 * 60].map((m) => waitedFor(at(m), now))).toEqual([
      'less than a minute',
      '1 minute',
      '59 minutes',
      '1 hour',
      '1 hour',
      '47 hours',
      '2 days',
      '3 days',
    ]);
  });
});

describe('who gets which home', () => {
  it('a member never gets the staff home, nor its summary', async () => {
    const anna = await signIn(t.app, 'anna');
    const home = await anna.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>Your rooms</h1>');
    expect(home.text).not.toContain('What needs you now');
    expect((await anna.get('/workspace/summary')).status).toBe(404);
  });

  it('the demo clinician gets "What needs you now" with the rooms below, and the summary fragment; no message text', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const home = await clinician.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>What needs you now</h1>');
    expect(home.text.indexOf(`data-live-subnet="${ids.subnet('eating-disorders')}"`)).toBeLessThan(
      home.text.indexOf('Your rooms and staff pages'),
    );
    expect(home.text).toContain(`href="/rooms/${ids.room('Anorexia living room')}"`);
    expect(home.text).toContain('All staff pages for');
    const fragment = await clinician.get('/workspace/summary');
    expect(fragment.status).toBe(200);
    expect(fragment.headers['cache-control']).toContain('no-store');
    expect(fragment.text).toContain(`data-live-subnet="${ids.subnet('eating-disorders')}"`);
    expect(fragment.text).not.toContain('<h1>');
    expect((await clinician.get('/workspace/summary?x=1')).status).toBe(400);
  });

  it('an admin lands on the admin tools, each saying what it is for, never on "Your key does not open any rooms"', async () => {
    const admin = await signIn(t.app, 'admin');
    const home = await admin.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<h1>Administration</h1>');
    for (const href of ['/admin/accounts', '/admin/staff', '/admin/subnets', '/admin/audit', '/evaluation'])
      expect(home.text).toContain(`href="${href}"`);
    expect(home.text).not.toContain('Your key does not open any rooms');
    expect(home.text).not.toContain('speak to your clinician');
  });

  it("a staff member whose memberships have all ended keeps the members' lobby", async () => {
    const gone = await makeUser(t.db, { role: 'peer_moderator', subnetId: b.id });
    await t
      .db('memberships')
      .where({ user_id: gone.id })
      .update({ ends_at: ago(60) });
    const page = await (await signIn(t.app, gone.username)).get('/');
    expect(page.text).toContain('<h1>Your rooms</h1>');
  });
});

describe('the staff home hears of changes live', () => {
  it("a subnet's staff sockets get workspace:changed when someone goes on duty or a member writes to the care team; a member's socket does not", async () => {
    const base = await t.listen();
    const staff = openSocket(base, await sessionCookie(base, 'clinician'));
    const member = openSocket(base, await sessionCookie(base, 'anna'));
    await Promise.all([connected(staff), connected(member)]);
    const toStaff = collect<{ subnetId: string }>(staff, 'workspace:changed');
    const toMember = collect(member, 'workspace:changed');
    const ed = ids.subnet('eating-disorders');
    const peermod = await signIn(t.app, 'peermod');
    const token = /name="_csrf" value="([^"]+)"/.exec((await peermod.get(`/subnets/${ed}/handover`)).text)?.[1] ?? '';
    expect((await peermod.post(`/subnets/${ed}/duty/start`).type('form').send({ _csrf: token })).status).toBe(303);
    await eventually(() => toStaff.some((e) => e.subnetId === ed));
    const before = toStaff.length;
    const anna = await signIn(t.app, 'anna');
    const mine = String((await anna.get(`/subnets/${ed}/care-team/mine`)).headers.location);
    const tok = /name="_csrf" value="([^"]+)"/.exec((await anna.get(mine)).text)?.[1] ?? '';
    expect((await anna.post(`${mine}/messages`).type('form').send({ _csrf: tok, body: 'Hello' })).status).toBe(303);
    await eventually(() => toStaff.length > before);
    expect(toMember).toEqual([]);
    expect(JSON.stringify(toStaff)).not.toContain('Hello');
    staff.close();
    member.close();
  });
});
