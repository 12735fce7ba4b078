import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';
import { enrolTwoFactor } from '../helpers/totp.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('admin builds a subnet', () => {
  it('creates a subnet, a cohort, a room for it and a clinician who then enters that room', async () => {
    const admin = await signIn(t.app, 'admin');
    const created = await postForm(
      admin,
      '/admin/subnets',
      {
        name: 'Psychosis',
        slug: 'psychosis',
        description: 'Early intervention',
        crisisContacts: 'Call 111',
        serviceHours: '9 to 5',
      },
      '/admin/subnets/new',
    );
    expect(created.status).toBe(303);
    const subnetId = String(created.headers.location).split('/')[3]?.split('?')[0] ?? '';
    const page = `/admin/subnets/${subnetId}`;
    expect((await postForm(admin, `${page}/cohorts`, { name: 'Early intervention' }, page)).status).toBe(303);
    const cohort = await t.db('cohorts').where({ subnet_id: subnetId }).first();
    const room = await postForm(
      admin,
      `/admin/subnets/${subnetId}/rooms`,
      { name: 'EI living room', description: '', kind: 'living_room', audience: [cohort.id] },
      page,
    );
    expect(room.status).toBe(303);
    const staff = await postForm(
      admin,
      '/admin/staff',
      {
        username: 'drnew',
        displayName: 'Dr New',
        nickname: 'Kestrel',
        role: 'clinician',
        password: 'a long enough passphrase',
        subnetIds: [subnetId],
      },
      '/admin/staff/new',
    );
    expect(staff.status).toBe(303);
    const drnew = await signIn(t.app, 'drnew', 'a long enough passphrase');
    // New staff must set up two-factor sign-in before anything else.
    const forced = await drnew.get('/');
    expect(forced.status).toBe(303);
    expect(forced.headers.location).toBe('/account/two-factor');
    expect((await drnew.get(`/rooms/${ids.room('Anorexia living room')}`)).headers.location).toBe(
      '/account/two-factor',
    );
    expect(await enrolTwoFactor(drnew, 'a long enough passphrase')).toHaveLength(10);
    const lobby = await drnew.get('/');
    expect(lobby.text).toContain('EI living room');
    expect(lobby.text).not.toContain('Anorexia living room');
    const audit = await t
      .db('audit_log')
      .whereIn('action', ['subnet.create', 'cohort.create', 'room.create', 'staff.create'])
      .count('* as n')
      .first();
    expect(Number(audit?.n)).toBe(4);
  });

  it('renames a cohort; members keep their place and the new name shows on rooms', async () => {
    const admin = await signIn(t.app, 'admin');
    const url = `/admin/cohorts/${ids.cohort('eating-disorders/binge-eating')}`;
    const bad = await postForm(admin, url, { name: '' }, url);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter a name for the group');
    expect((await postForm(admin, url, { name: 'Binge eating disorder' }, url)).status).toBe(303);
    expect(
      (
        await t
          .db('cohorts')
          .where({ id: ids.cohort('eating-disorders/binge-eating') })
          .first()
      ).name,
    ).toBe('Binge eating disorder');
  });

  it('sets a noticeboard to pre-moderated from the room page', async () => {
    const admin = await signIn(t.app, 'admin');
    const url = `/admin/rooms/${ids.room('Carers noticeboard')}`;
    const res = await postForm(
      admin,
      url,
      {
        name: 'Carers noticeboard',
        description: 'Q and A',
        kind: 'noticeboard',
        audience: [ids.cohort('ed-carers/carers')],
        preModerated: 'yes',
      },
      url,
    );
    expect(res.status).toBe(303);
    expect(
      (
        await t
          .db('rooms')
          .where({ id: ids.room('Carers noticeboard') })
          .first()
      ).pre_moderated,
    ).toBe(true);
    expect((await admin.get(url)).text).toMatch(/name="preModerated" type="checkbox" value="yes" checked/);
  });

  it('a duplicate short name re-renders the form with the input kept', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await postForm(
      admin,
      '/admin/subnets',
      { name: 'Another ED', slug: 'eating-disorders' },
      '/admin/subnets/new',
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('Another subnet already uses that short name');
    expect(res.text).toContain('value="Another ED"');
  });

  it("a staff nickname too close to a member's is refused, with the input kept", async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await postForm(
      admin,
      '/admin/staff',
      {
        username: 'drlookalike',
        displayName: 'Dr Look',
        nickname: 'Wi11ow',
        role: 'clinician',
        password: 'a long enough passphrase',
      },
      '/admin/staff/new',
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('That nickname is too close to someone else&#39;s. Choose another.');
    expect(res.text).toContain('value="Wi11ow"');
    expect(res.text).toContain('value="drlookalike"');
    expect(await t.db('users').where({ username: 'drlookalike' }).first()).toBeUndefined();
  });

  it("a room's audience cannot include another subnet's cohort", async () => {
    const admin = await signIn(t.app, 'admin');
    const subnetId = ids.subnet('eating-disorders');
    const res = await postForm(
      admin,
      `/admin/subnets/${subnetId}/rooms`,
      { name: 'Mixed room', kind: 'library', audience: [ids.cohort('ed-carers/carers')] },
      `/admin/subnets/${subnetId}`,
    );
    expect(res.status).toBe(400);
    expect(await t.db('rooms').where({ name: 'Mixed room' }).first()).toBeUndefined();
  });

  it('mass assignment has no effect: a role or status smuggled into a form is refused', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await postForm(
      admin,
      '/admin/subnets',
      { name: 'Smuggled', slug: 'smuggled', role: 'admin', __proto__: 'x' } as Record<string, string>,
      '/admin/subnets/new',
    );
    expect(res.status).toBe(400);
    expect(await t.db('subnets').where({ slug: 'smuggled' }).first()).toBeUndefined();
  });

  it('the admin cannot read room content of a subnet they are not staff of', async () => {
    const admin = await signIn(t.app, 'admin');
    expect((await admin.get(`/rooms/${ids.room('Anorexia living room')}`)).status).toBe(404);
  });

  it('the admin suspends and reinstates any account', async () => {
    const admin = await signIn(t.app, 'admin');
    const carer = await signIn(t.app, 'carer');
    expect(
      (
        await postForm(
          admin,
          `/admin/accounts/${ids.user('carer')}/suspend`,
          { reason: 'Testing suspension by an admin' },
          '/admin/accounts',
        )
      ).status,
    ).toBe(303);
    expect((await carer.get('/')).status).toBe(303);
    expect(
      (await postForm(admin, `/admin/accounts/${ids.user('carer')}/reinstate`, {}, '/admin/accounts')).status,
    ).toBe(303);
    expect((await t.db('users').where({ username: 'carer' }).first()).status).toBe('active');
  });

  it('an erased account stays erased: the accounts list leaves it out, and a forged reinstate finds nothing', async () => {
    const { id } = await makeUser(t.db, {
      username: 'goner',
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/anorexia'),
    });
    const admin = await signIn(t.app, 'admin');
    expect((await postForm(admin, `/admin/accounts/${id}/erase`, {}, '/admin/accounts')).status).toBe(303);
    const erased = await t.db('users').where({ id }).first();
    expect(erased.status).toBe('erased');
    expect((await admin.get(`/admin/accounts?q=${encodeURIComponent(erased.username)}`)).text).not.toContain(
      `/admin/accounts/${id}/`,
    );
    expect((await postForm(admin, `/admin/accounts/${id}/reinstate`, {}, '/admin/accounts')).status).toBe(404);
    expect((await t.db('users').where({ id }).first()).status).toBe('erased');
  });

  it('the audit log page filters by actor and action', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await admin.get('/admin/audit?actor=admin&action=account.suspend');
    expect(res.status).toBe(200);
    expect(res.text).toContain('account.suspend');
    expect(res.text).toMatch(/What <\/span>account.suspend/);
    expect(res.text).not.toMatch(/What <\/span>login/);
    expect((await admin.get('/admin/audit?from=not-a-date')).status).toBe(400);
  });

  it('the audit log refuses updates and deletes, even from the database owner', async () => {
    await expect(t.db('audit_log').update({ action: 'tampered' })).rejects.toThrow(/append-only/);
    await expect(t.db('audit_log').delete()).rejects.toThrow(/append-only/);
  });

  for (const user of ['clinician', 'peermod', 'anna', 'bella', 'carer']) {
    it(`${user} gets 404 for every admin page`, async () => {
      const agent = await signIn(t.app, user);
      for (const path of [
        '/admin',
        '/admin/subnets',
        '/admin/staff',
        '/admin/accounts',
        '/admin/audit',
        `/admin/subnets/${ids.subnet('eating-disorders')}`,
        `/admin/rooms/${ids.room('Anorexia living room')}`,
      ]) {
        expect(`${path} ${(await agent.get(path)).status}`).toBe(`${path} 404`);
      }
      expect((await postForm(agent, '/admin/subnets', { name: 'Sneaky', slug: 'sneaky' })).status).toBe(404);
    });
  }
});
