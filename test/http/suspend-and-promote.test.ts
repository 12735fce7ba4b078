import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport, makeUser } from '../helpers/factories.js';
import { enrolTwoFactor } from '../helpers/totp.js';
import { ask, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';

// Suspension and promotion are serious and visible to others: each takes a confirmation step that
// names the person and asks why, the reason goes into the audit log, and the page after says what
// happened. A suspended member's open page is told why; a promoted member's old posts keep no badge.

let t: TestApp;
let base: string;
let ids: Awaited<ReturnType<typeof demoIds>>;
const open: Socket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  ids = await demoIds(t.db);
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.close();
});

const ED = () => ids.subnet('eating-disorders');
const room = () => ids.room('Anorexia living room');

/** A new member of the anorexia group, with the demo password. */
async function member(username: string, nickname: string): Promise<string> {
  return (
    await makeUser(t.db, { username, nickname, subnetId: ED(), cohortId: ids.cohort('eating-disorders/anorexia') })
  ).id;
}

async function joined(username: string): Promise<Socket> {
  const s = openSocket(base, await sessionCookie(base, username));
  open.push(s);
  await connected(s);
  expect((await ask(s, 'room:join', { roomId: room() })).ok).toBe(true);
  return s;
}

const audit = (action: string, targetId: string) =>
  t.db('audit_log').where({ action, target_id: targetId }).orderBy('id', 'desc').first();
const textareaValue = (html: string) => /<textarea[^>]*name="reason"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];

describe('suspension', () => {
  it('suspending needs a confirmation that names the person and a reason: without one the page comes back at 400 with what was typed, and nothing changes', async () => {
    const id = await member('maple', 'Maple');
    const clinician = await signIn(t.app, 'clinician');
    const memberPage = `/subnets/${ED()}/members/${id}`;
    expect((await clinician.get(memberPage)).text).toContain(`href="${memberPage}/suspend"`);
    const confirm = await clinician.get(`${memberPage}/suspend`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<h1>Suspend Maple?</h1>');

    const missing = await postForm(clinician, `${memberPage}/suspend`, {}, `${memberPage}/suspend`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('There is a problem');
    expect(missing.text).toContain('Say why you are suspending this account, in at least 10 characters');
    const short = await postForm(clinician, `${memberPage}/suspend`, { reason: 'rude' }, `${memberPage}/suspend`);
    expect(short.status).toBe(400);
    expect(textareaValue(short.text)).toBe('rude');
    expect((await t.db('users').where({ id }).first()).status).toBe('active');
    expect(await audit('account.suspend', id)).toBeUndefined();
  });

  it("a suspension is audited with its reason; the member's open page is told why before it closes, and presence drops her at once", async () => {
    const id = await member('hazelnut', 'Hazelnut');
    const suspended = await joined('hazelnut');
    const anna = await joined('anna');
    const presence: { people: { nickname: string }[] }[] = [];
    anna.on('presence', (p) => presence.push(p));
    await ask(anna, 'room:join', { roomId: room() }); // a fresh presence for anna after both joined
    await eventually(() => presence.at(-1)?.people.some((p) => p.nickname === 'Hazelnut') ?? false);
    const heard: string[] = [];
    suspended.on('account:suspended', () => heard.push('account:suspended'));
    suspended.on('disconnect', () => heard.push('disconnect'));

    const clinician = await signIn(t.app, 'clinician');
    const memberPage = `/subnets/${ED()}/members/${id}`;
    const reason = 'Repeated posts putting others at risk after a warning';
    const done = await postForm(clinician, `${memberPage}/suspend`, { reason }, `${memberPage}/suspend`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${memberPage}?done=suspended`);
    const landed = await clinician.get(String(done.headers.location));
    expect(landed.text).toContain(
      'The account was suspended and signed out everywhere. Your reason is in the audit log.',
    );
    expect(landed.text).toMatch(/Account<\/dt><dd class="nhsuk-summary-list__value">Suspended/);

    await eventually(() => heard.length === 2);
    expect(heard).toEqual(['account:suspended', 'disconnect']);
    await eventually(() => !(presence.at(-1)?.people.some((p) => p.nickname === 'Hazelnut') ?? true), 2000);
    const row = await audit('account.suspend', id);
    expect(row).toMatchObject({ actor_id: ids.user('clinician'), details: { subnet_id: ED(), reason } });
  });

  it("an admin's suspension and one from the moderation queue also need a confirmation and a reason, and are audited with it", async () => {
    const birch = await member('birch', 'Birch');
    const admin = await signIn(t.app, 'admin');
    expect((await admin.get('/admin/accounts?q=birch')).text).toContain(`href="/admin/accounts/${birch}/suspend"`);
    const page = await admin.get(`/admin/accounts/${birch}/suspend`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Suspend Birch?</h1>');
    expect((await postForm(admin, `/admin/accounts/${birch}/suspend`, {}, '/admin/accounts')).status).toBe(400);
    expect((await t.db('users').where({ id: birch }).first()).status).toBe('active');
    const reason = 'Asked by the service after a safeguarding review';
    const done = await postForm(admin, `/admin/accounts/${birch}/suspend`, { reason }, '/admin/accounts');
    expect(done.headers.location).toBe('/admin/accounts?q=birch&done=suspended');
    expect((await admin.get(String(done.headers.location))).text).toContain(
      'Birch&#39;s account was suspended and they were signed out everywhere. Your reason is in the audit log.',
    );
    expect(await audit('account.suspend', birch)).toMatchObject({ actor_id: ids.user('admin'), details: { reason } });
    expect((await admin.get(`/admin/audit?action=account.suspend&target=${birch}`)).text).toContain(
      `Reason given </span>${reason}`,
    );

    const cedar = await member('cedar', 'Cedar');
    const messageId = await makeMessage(t.db, { roomId: room(), authorId: cedar, body: 'a hostile message' });
    await makeReport(t.db, { messageId, reporterId: ids.user('anna'), reason: 'hostile' });
    const clinician = await signIn(t.app, 'clinician');
    const queue = `/subnets/${ED()}/moderation`;
    expect((await clinician.get(queue)).text).toContain(`href="/moderation/messages/${messageId}/suspend-author"`);
    expect((await clinician.get(`/moderation/messages/${messageId}/suspend-author`)).text).toContain(
      '<h1>Suspend Cedar?</h1>',
    );
    const missing = await postForm(
      clinician,
      `/moderation/messages/${messageId}/suspend-author`,
      { reason: 'hostile' },
      queue,
    );
    expect(missing.status).toBe(400);
    expect(textareaValue(missing.text)).toBe('hostile');
    const why = 'Hostile messages to other members in the living room';
    expect(
      (await postForm(clinician, `/moderation/messages/${messageId}/suspend-author`, { reason: why }, queue)).headers
        .location,
    ).toBe(`${queue}?done=suspended`);
    expect(await audit('account.suspend', cedar)).toMatchObject({
      details: { reason: why, message_id: String(messageId) },
    });
  });
});

describe('promotion', () => {
  it('promotion needs a confirmation and a reason; an earlier message keeps no staff badge while a new one carries it', async () => {
    const id = await member('aspen', 'Aspen');
    const aspen = await signIn(t.app, 'aspen');
    const roomPage = `/rooms/${room()}`;
    expect(
      (await postForm(aspen, `${roomPage}/messages`, { clientId: randomUUID(), body: 'written as a member' }, roomPage))
        .status,
    ).toBe(303);
    const board = ids.room('Eating disorders noticeboard');
    const thread = await postForm(
      aspen,
      `/rooms/${board}/threads`,
      { title: 'Started as a member', body: 'a thread written as a member' },
      `/rooms/${board}`,
    );
    expect(thread.status).toBe(303);
    const threadId = (await t.db('threads').where({ author_id: id }).first('id')).id as string;

    const admin = await signIn(t.app, 'admin');
    expect((await admin.get('/admin/accounts?q=aspen')).text).toContain(
      `href="/admin/accounts/${id}/make-peer-moderator"`,
    );
    const confirm = await admin.get(`/admin/accounts/${id}/make-peer-moderator`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<h1>Make Aspen a peer moderator?</h1>');
    expect(confirm.text).toContain('They become a peer moderator of: Eating Disorders.');
    const _csrf = await csrfFrom(admin, '/admin/accounts');
    const missing = await admin
      .post(`/admin/accounts/${id}/make-peer-moderator`)
      .type('form')
      .send({ _csrf, reason: 'ok' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Say why this person becomes a peer moderator, in at least 10 characters');
    expect(textareaValue(missing.text)).toBe('ok');
    expect((await t.db('users').where({ id }).first()).role).toBe('patient');

    const reason = 'Recovered, trained and agreed with the team';
    const done = await admin.post(`/admin/accounts/${id}/make-peer-moderator`).type('form').send({ _csrf, reason });
    expect(done.headers.location).toBe(`/admin/staff/${id}?done=promoted`);
    expect((await admin.get(String(done.headers.location))).text).toContain('Aspen is now a peer moderator.');
    expect(await audit('account.role_change', id)).toMatchObject({
      details: { from: 'patient', to: 'peer_moderator', reason },
    });

    const again = await signIn(t.app, 'aspen');
    await enrolTwoFactor(again, DEMO_PASSWORD);
    expect(
      (
        await postForm(
          again,
          `${roomPage}/messages`,
          { clientId: randomUUID(), body: 'written as a peer moderator' },
          roomPage,
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await postForm(
          again,
          `/threads/${threadId}/replies`,
          { body: 'a reply written as a peer moderator' },
          `/threads/${threadId}`,
        )
      ).status,
    ).toBe(303);

    const reader = await signIn(t.app, 'anna');
    const meta = (html: string, body: string) => {
      const at = html.indexOf(body);
      return html.slice(html.lastIndexOf('<li', at), at);
    };
    const page = (await reader.get(roomPage)).text;
    expect(meta(page, 'written as a member')).not.toContain('sharon-badge');
    expect(meta(page, 'written as a peer moderator')).toContain('Peer moderator');
    const threadPage = (await reader.get(`/threads/${threadId}`)).text;
    const postMeta = (body: string) =>
      threadPage.slice(threadPage.lastIndexOf('sharon-post__meta', threadPage.indexOf(body)), threadPage.indexOf(body));
    expect(postMeta('a thread written as a member')).not.toContain('Peer moderator');
    expect(postMeta('a reply written as a peer moderator')).toContain('Peer moderator');
  });
});
