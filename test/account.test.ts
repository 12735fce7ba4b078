import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, postForm, signIn, startTestApp, type TestApp } from './helpers/app.js';
import { demoIds } from './helpers/demo.js';
import { makeMessage, makeMessages, makeUser } from './helpers/factories.js';
import { applyChatRetention } from '../src/admin/data-rights.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

async function newMember(username: string): Promise<string> {
  const member = await makeUser(t.db, {
    username,
    subnetId: ids.subnet('eating-disorders'),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    privateReference: 'Real Name 123',
  });
  return member.id;
}

describe('passwords', () => {
  it('a common password is refused when redeeming a key, with a kind explanation', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const keys = `/subnets/${ids.subnet('eating-disorders')}/keys`;
    const issued = await postForm(
      clinician,
      keys,
      { cohortId: ids.cohort('eating-disorders/anorexia'), role: 'patient', expiryDays: '14' },
      keys,
    );
    const code = /id="key-code">([A-Z0-9-]+)</.exec(issued.text)?.[1] ?? '';
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/join');
    const res = await agent
      .post('/join')
      .type('form')
      .send({ _csrf, key: code, username: 'commonpw', nickname: 'Common Pw', password: 'password1234' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('That password is too common');
  });

  it('changing a password needs the current one; it ends every other session and renews this one', async () => {
    await newMember('changer');
    const other = await signIn(t.app, 'changer');
    const me = await signIn(t.app, 'changer');
    const wrong = await postForm(
      me,
      '/account/password',
      { current: 'not my password', password: 'brand new long passphrase' },
      '/account/password',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Your current password is not right');
    const before = String((await me.get('/account')).headers['set-cookie'] ?? '');
    const res = await postForm(
      me,
      '/account/password',
      { current: DEMO_PASSWORD, password: 'brand new long passphrase' },
      '/account/password',
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your password has been changed');
    expect(String(res.headers['set-cookie'])).not.toBe(before);
    expect((await other.get('/')).status).toBe(303);
    expect((await me.get('/')).status).toBe(200);
    await signIn(t.app, 'changer', 'brand new long passphrase');
  });
});

describe('your sessions', () => {
  it('lists where you are signed in (coarse device, never the session id) and ends another one', async () => {
    await newMember('sessions1');
    const phone = request.agent(t.app);
    const tok = await csrfFrom(phone, '/login');
    await phone
      .post('/login')
      .set('User-Agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1')
      .type('form')
      .send({ _csrf: tok, username: 'sessions1', password: DEMO_PASSWORD });
    const laptop = await signIn(t.app, 'sessions1');
    const page = await laptop.get('/account/sessions');
    expect(page.text).toContain('Safari on iPhone or iPad');
    const sids = (await t
      .db('session')
      .whereRaw("sess->'passport'->>'user' = (SELECT id::text FROM users WHERE username = 'sessions1')")
      .pluck('sid')) as string[];
    for (const sid of sids) expect(page.text).not.toContain(sid);
    const handle = /\/account\/sessions\/([0-9a-f]{16})\/end/.exec(page.text)?.[1];
    expect((await postForm(laptop, `/account/sessions/${handle}/end`, {}, '/account/sessions')).status).toBe(303);
    expect((await phone.get('/')).status).toBe(303);
    expect((await laptop.get('/')).status).toBe(200);
    expect((await postForm(laptop, '/account/sessions/0000000000000000/end', {}, '/account/sessions')).status).toBe(
      404,
    );
  });
});

describe('data rights', () => {
  it("a member downloads their own data as JSON, with their messages and none of anyone else's", async () => {
    const id = await newMember('exporter');
    await makeMessages(t.db, [
      { roomId: ids.room('Anorexia living room'), authorId: id, body: 'my own words' },
      { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna'), body: 'someone else' },
    ]);
    const me = await signIn(t.app, 'exporter');
    const res = await me.get('/account/data.json');
    expect(res.headers['content-disposition']).toContain('my-sharon-data.json');
    const data = JSON.parse(res.text);
    expect(data.profile.username).toBe('exporter');
    expect(data.livingRoomMessages.map((m: { body: string }) => m.body)).toEqual(['my own words']);
    expect(res.text).not.toContain('someone else');
    expect(res.text).not.toContain('password');
  });

  it('an admin erases a member: login and personal details gone, content kept as "Former member", audited', async () => {
    const id = await newMember('leaver');
    await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: id, body: 'I was here' });
    const leaver = await signIn(t.app, 'leaver');
    const admin = await signIn(t.app, 'admin');
    expect((await admin.get(`/admin/accounts/${id}/erase`)).text).toContain('This cannot be undone');
    expect((await postForm(admin, `/admin/accounts/${id}/erase`, {}, '/admin/accounts')).status).toBe(303);
    expect((await leaver.get('/')).status).toBe(303);
    const user = await t.db('users').where({ id }).first();
    expect(user).toMatchObject({ status: 'erased', password_hash: null, display_name: null });
    expect(user.nickname).toMatch(/^Former member /);
    expect((await t.db('memberships').where({ user_id: id }).first()).private_reference).toBeNull();
    const page = await (await signIn(t.app, 'anna')).get(`/rooms/${ids.room('Anorexia living room')}`);
    expect(page.text).toContain('I was here');
    expect(page.text).toMatch(/Former member [0-9a-f]{8}/);
    expect(await t.db('audit_log').where({ action: 'account.erase', target_id: id }).first()).toBeTruthy();
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    expect(
      (await agent.post('/login').type('form').send({ _csrf, username: 'leaver', password: DEMO_PASSWORD })).status,
    ).toBe(401);
  });

  it("chat retention deletes messages older than the subnet's setting and keeps the rest", async () => {
    await t
      .db('subnets')
      .where({ id: ids.subnet('ed-carers') })
      .update({ chat_retention_days: 30 });
    const room = ids.room('Carers living room');
    await makeMessages(t.db, [
      { roomId: room, authorId: ids.user('carer'), body: 'old', createdAt: new Date(Date.now() - 40 * 86_400_000) },
      { roomId: room, authorId: ids.user('carer'), body: 'recent', createdAt: new Date(Date.now() - 5 * 86_400_000) },
      {
        roomId: ids.room('Anorexia living room'),
        authorId: ids.user('anna'),
        body: 'other subnet, old',
        createdAt: new Date(Date.now() - 400 * 86_400_000),
      },
    ]);
    expect(await applyChatRetention(t.db, new Date())).toBe(1);
    expect(await t.db('messages').where({ body: 'old' }).first()).toBeUndefined();
    expect(await t.db('messages').where({ body: 'recent' }).first()).toBeTruthy();
    expect(await t.db('messages').where({ body: 'other subnet, old' }).first()).toBeTruthy();
  });
});

describe('audit', () => {
  it('admins export the audit log as CSV with filters; nobody else can', async () => {
    const admin = await signIn(t.app, 'admin');
    const csv = await admin.get('/admin/audit.csv?action=login');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'id,at,actor_username,actor_nickname,action,target_type,target_id,target_username,target_nickname,target_name,service,outcome,refusal,reason,ip,details',
    );
    expect(lines.slice(1).every((l) => l.split(',')[4] === 'login')).toBe(true);
    for (const u of ['clinician', 'peermod', 'anna'])
      expect((await (await signIn(t.app, u)).get('/admin/audit.csv')).status).toBe(404);
  });

  it("an admin ends all of a person's sessions", async () => {
    await newMember('ended');
    const victim = await signIn(t.app, 'ended');
    const admin = await signIn(t.app, 'admin');
    const id = (await t.db('users').where({ username: 'ended' }).first()).id;
    expect((await postForm(admin, `/admin/accounts/${id}/end-sessions`, {}, '/admin/accounts')).status).toBe(303);
    expect((await victim.get('/')).status).toBe(303);
  });
});
