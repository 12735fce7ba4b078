import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';
import { ask, connected, openSocket, sessionCookie } from '../helpers/sockets.js';

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

type Sent = { message: { id: number; status: string }; held: boolean; support: string | null };

/** A new member of a subnet's cohort (a key redemption's result, made in one line). */
async function newMember(username: string, subnetId: string, cohortId: string): Promise<void> {
  await makeUser(t.db, { username, subnetId, cohortId });
}

async function joinedAs(username: string, roomId: string): Promise<Socket> {
  const s = openSocket(base, await sessionCookie(base, username));
  open.push(s);
  await connected(s);
  expect((await ask(s, 'room:join', { roomId })).ok).toBe(true);
  return s;
}

async function send(s: Socket, roomId: string, body: string): Promise<Sent> {
  const reply = await ask<Sent>(s, 'message:send', { roomId, clientId: randomUUID(), body });
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

/** Starts a noticeboard thread; the redirect says whether it was posted or held. */
async function thread(username: string, roomId: string, body: string) {
  const res = await postForm(
    await signIn(t.app, username),
    `/rooms/${roomId}/threads`,
    { title: 'A thread', body },
    `/rooms/${roomId}`,
  );
  return {
    location: String(res.headers.location),
    id: /\/threads\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] ?? '',
  };
}

const edWords = () => `/subnets/${ids.subnet('eating-disorders')}/watched-words`;
const edBoard = () => ids.room('Eating disorders noticeboard');

describe('a new service starts with the safety baseline', () => {
  it('a subnet the admin creates alerts on a crisis message from its first message, and holds contact details and social handles', async () => {
    const admin = await signIn(t.app, 'admin');
    const created = await postForm(
      admin,
      '/admin/subnets',
      {
        name: 'Dads Perinatal Support',
        slug: 'dads-perinatal',
        description: 'Peer support for new dads',
        crisisContacts: '',
        serviceHours: '',
      },
      '/admin/subnets/new',
    );
    expect(created.status).toBe(303);
    const subnetId = String(created.headers.location).split('/')[3]?.split('?')[0] ?? '';
    const page = `/admin/subnets/${subnetId}`;
    expect((await postForm(admin, `${page}/cohorts`, { name: 'Dads' }, page)).status).toBe(303);
    const cohort = await t.db('cohorts').where({ subnet_id: subnetId }).first();
    for (const [kind, name] of [
      ['living_room', 'Dads living room'],
      ['noticeboard', 'Dads noticeboard'],
    ] as const) {
      expect(
        (await postForm(admin, `${page}/rooms`, { name, description: '', kind, audience: [cohort.id] }, page)).status,
      ).toBe(303);
    }
    const room = await t.db('rooms').where({ subnet_id: subnetId, name: 'Dads living room' }).first();
    const board = await t.db('rooms').where({ subnet_id: subnetId, name: 'Dads noticeboard' }).first();
    // Nothing was copied into the subnet: the baseline applies from code.
    expect(await t.db('watched_words').where({ subnet_id: subnetId })).toEqual([]);
    await newMember('newdad', subnetId, cohort.id);

    const s = await joinedAs('newdad', room.id);
    const crisis = await send(s, room.id, 'Honestly I want to end it all, I cannot cope');
    expect(crisis.held).toBe(false);
    expect(crisis.support).toBeTruthy();
    expect(await t.db('alerts').where({ subnet_id: subnetId, message_id: crisis.message.id }).first()).toMatchObject({
      matched: 'end it all',
    });
    for (const body of ['find me on insta @willow_recovers', 'example.com', 'my snap is willow_r']) {
      const sent = await send(s, room.id, body);
      expect(`${body}: ${sent.held ? 'held' : 'delivered'}`).toBe(`${body}: held`);
      expect(sent.support).toBeNull();
    }

    expect((await thread('newdad', board.id, 'find me on insta @willow_recovers')).location).toContain('done=held');
    const alerted = await thread('newdad', board.id, 'I want to end it all');
    expect(alerted.location).toContain('done=posted');
    expect(await t.db('alerts').where({ thread_id: alerted.id }).first()).toMatchObject({
      subnet_id: subnetId,
      matched: 'end it all',
    });
  });
});

describe('the watched-words page', () => {
  it('lists the safety baseline as "Always on": the crisis alerts with no control, each contact-detail hold with a way to switch it off', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const page = await clinician.get(edWords());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Always on');
    expect(page.text).toContain('Suicide and self-harm phrases');
    expect(page.text).toContain('Cannot be switched off');
    expect(page.text).toContain('“end it all”');
    for (const detector of ['email', 'phone', 'link', 'handle'])
      expect(page.text).toContain(`/baseline/${detector}/switch-off`);
    expect(page.text).not.toContain('/baseline/crisis-phrases/');
    expect((page.text.match(/nhsuk-tag--green">Always on</g) ?? []).length).toBe(5);
    // The subnet's own condition rules are listed apart.
    expect(page.text).toContain('Added for Eating Disorders');
    expect(page.text).toContain('“purging again”');
  });

  it('switching a baseline hold off without a reason is refused with the input kept; with a reason it is recorded, audited and shown, and it switches back on', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const url = `${edWords()}/baseline/link/switch-off`;
    const form = await clinician.get(url);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Why switch this hold off?');

    const blank = await postForm(clinician, url, { reason: '   ' }, url);
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('There is a problem');
    expect(blank.text).toContain('Enter why this hold is switched off');
    const long = 'Because '.repeat(70);
    const tooLong = await postForm(clinician, url, { reason: long }, url);
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('The reason must be 500 characters or fewer');
    expect(tooLong.text).toContain(long.trim());
    expect(await t.db('baseline_holds_off').first()).toBeUndefined();
    expect((await thread('anna', edBoard(), 'see www.example.com for the leaflet')).location).toContain('done=held');

    const off = await postForm(clinician, url, { reason: 'We share NHS leaflets as links, agreed with the CSO' }, url);
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe(`${edWords()}?done=off`);
    const page = await clinician.get(String(off.headers.location));
    expect(page.text).toContain('The hold is switched off in every room of this subnet. Your reason is recorded.');
    expect(page.text).toContain('Switched off');
    expect(page.text).toContain('By Dr Rowan');
    expect(page.text).toContain('“We share NHS leaflets as links, agreed with the CSO”');
    const audit = await t.db('audit_log').where({ action: 'watched_word.baseline_off' }).first();
    expect(audit).toMatchObject({ actor_id: ids.user('clinician'), target_id: ids.subnet('eating-disorders') });
    expect(audit.details).toMatchObject({
      detector: 'link',
      reason: 'We share NHS leaflets as links, agreed with the CSO',
    });
    expect((await thread('anna', edBoard(), 'see www.example.com for the leaflet')).location).toContain('done=posted');
    // The other holds stay on.
    expect((await thread('anna', edBoard(), 'find me on insta @willow_recovers')).location).toContain('done=held');

    const on = await postForm(clinician, `${edWords()}/baseline/link/switch-on`, {}, edWords());
    expect(on.headers.location).toBe(`${edWords()}?done=on`);
    expect(await t.db('baseline_holds_off').first()).toBeUndefined();
    expect(await t.db('audit_log').where({ action: 'watched_word.baseline_on' }).first()).toMatchObject({
      actor_id: ids.user('clinician'),
    });
    expect((await thread('anna', edBoard(), 'see www.example.com for the leaflet')).location).toContain('done=held');
  });

  it('a forged request to switch off or remove the crisis alerts is refused with a clear 403 page, audited, and the alerts keep working', async () => {
    for (const who of ['clinician', 'admin']) {
      const agent = await signIn(t.app, who);
      const forged = await postForm(
        agent,
        `${edWords()}/baseline/crisis-phrases/switch-off`,
        { reason: 'Too many alerts' },
        edWords(),
      );
      expect(forged.status).toBe(403);
      expect(forged.text).toContain(
        'Alerts on suicide and self-harm phrases are always on in every subnet. Nobody can switch them off or remove them.',
      );
      expect((await agent.get(`${edWords()}/baseline/crisis-phrases/switch-off`)).status).toBe(403);
      expect((await postForm(agent, `${edWords()}/baseline/crisis-phrases/switch-on`, {}, edWords())).status).toBe(403);
      expect((await postForm(agent, `${edWords()}/crisis-phrases/delete`, {}, edWords())).status).toBe(404);
      expect(
        (await postForm(agent, `${edWords()}/baseline/suicide/switch-off`, { reason: 'x' }, edWords())).status,
      ).toBe(404);
      const denied = await t
        .db('audit_log')
        .where({ actor_id: ids.user(who), action: 'access', outcome: 'denied', reason: 'always_on' })
        .first();
      expect(denied).toBeTruthy();
    }
    expect(await t.db('baseline_holds_off').first()).toBeUndefined();
    const alerted = await thread('anna', edBoard(), 'I feel sucidal tonight');
    expect(await t.db('alerts').where({ thread_id: alerted.id }).first()).toMatchObject({ matched: 'suicide' });
  });

  it('staff cannot add a rule the baseline already has: a crisis phrase or a contact-detail hold is refused with the input kept', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const phrase = await postForm(
      clinician,
      edWords(),
      { kind: 'phrase', phrase: 'Self-Harm', action: 'alert', roomId: '' },
      edWords(),
    );
    expect(phrase.status).toBe(400);
    expect(phrase.text).toContain('Every subnet already alerts on that phrase');
    expect(phrase.text).toContain('value="Self-Harm"');
    const email = await postForm(
      clinician,
      edWords(),
      { kind: 'builtin', builtin: 'email', action: 'hold', roomId: '' },
      edWords(),
    );
    expect(email.status).toBe(400);
    expect(email.text).toContain('Every room already holds these');
    expect(await t.db('watched_words').whereRaw('lower(pattern) in (?, ?)', ['self-harm', 'email'])).toEqual([]);
    expect(
      (
        await postForm(
          clinician,
          edWords(),
          { kind: 'phrase', phrase: 'laxatives', action: 'alert', roomId: '' },
          edWords(),
        )
      ).status,
    ).toBe(303);
  });

  it('a peer moderator or a member cannot switch a hold off: the page does not exist for them', async () => {
    for (const who of ['peermod', 'anna']) {
      const agent = await signIn(t.app, who);
      expect((await agent.get(`${edWords()}/baseline/handle/switch-off`)).status).toBe(404);
      expect((await postForm(agent, `${edWords()}/baseline/handle/switch-off`, { reason: 'no' })).status).toBe(404);
    }
    expect(await t.db('baseline_holds_off').first()).toBeUndefined();
  });
});
