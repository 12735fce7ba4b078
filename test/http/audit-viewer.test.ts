import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

// Issue 15 item 5: the audit viewer names people and places, shows the reason given, and its own
// reading is audited; item 6: every admin account action lands on a page that says what was done.
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const ED = () => ids.subnet('eating-disorders');
const member = (username: string, nickname: string) =>
  makeUser(t.db, {
    username,
    nickname,
    subnetId: ED(),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    privateReference: 'NHS 999 000 1234',
  });
const lastAudit = (action: string) => t.db('audit_log').where({ action }).orderBy('id', 'desc').first();

describe('the audit viewer names people and shows reasons', () => {
  it('a reveal shows who revealed whose reference, in which service and why, on the page and in the CSV', async () => {
    const rowan = await member('rowan', 'Rowan');
    const clinician = await signIn(t.app, 'clinician');
    const reason = 'Safeguarding referral needs the record number';
    const page = `/subnets/${ED()}/members/${rowan.id}`;
    expect((await postForm(clinician, `${page}/reveal`, { reason }, page)).status).toBe(200);

    const admin = await signIn(t.app, 'admin');
    const viewer = await admin.get('/admin/audit?action=member.reveal_reference&target=rowan');
    expect(viewer.status).toBe(200);
    const clinicianNick = (await t.db('users').where({ username: 'clinician' }).first()).nickname;
    expect(viewer.text).toContain(`Who </span>${clinicianNick} <span class="nhsuk-body-s">(clinician)</span>`);
    expect(viewer.text).toContain('Target </span>Rowan <span class="nhsuk-body-s">(rowan)</span>');
    expect(viewer.text).toContain(`Reason given </span>${reason}`);
    expect(viewer.text).toContain('in Eating Disorders');
    expect(viewer.text).not.toContain(`user ${rowan.id}`);

    const csv = await admin.get('/admin/audit.csv?action=member.reveal_reference&target=rowan');
    const [header, line] = csv.text.trim().split('\n');
    const cols = (header ?? '').split(',');
    const values = (line ?? '').split(',');
    const at = (name: string) => values[cols.indexOf(name)];
    expect(at('actor_username')).toBe('clinician');
    expect(at('actor_nickname')).toBe(clinicianNick);
    expect(at('target_username')).toBe('rowan');
    expect(at('target_nickname')).toBe('Rowan');
    expect(at('service')).toBe('Eating Disorders');
    expect(at('reason')).toBe(reason);
  });

  it("an admin's suspension shows its reason; rooms and services are named; the old filters keep working", async () => {
    const sorrel = await member('sorrel', 'Sorrel');
    const admin = await signIn(t.app, 'admin');
    const reason = 'Threatening other members, agreed with the service lead';
    await postForm(admin, `/admin/accounts/${sorrel.id}/suspend`, { reason }, '/admin/accounts');
    const byTargetId = await admin.get(`/admin/audit?actor=admin&action=account.suspend&target=${sorrel.id}`);
    expect(byTargetId.text).toContain('Target </span>Sorrel <span class="nhsuk-body-s">(sorrel)</span>');
    expect(byTargetId.text).toContain(`Reason given </span>${reason}`);
    expect(byTargetId.text).toContain('Who </span>Site keeper <span class="nhsuk-body-s">(admin)</span>');
    // Filters: by another actor finds nothing; by date today finds it; from tomorrow does not.
    expect((await admin.get(`/admin/audit?actor=clinician&target=sorrel`)).text).toContain('No entries match.');
    const today = new Date().toISOString().slice(0, 10);
    expect((await admin.get(`/admin/audit?from=${today}&to=${today}&target=sorrel`)).text).toContain(reason);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await admin.get(`/admin/audit?from=${tomorrow}&target=sorrel`)).text).toContain('No entries match.');

    const cohortId = ids.cohort('eating-disorders/binge-eating');
    await postForm(admin, `/admin/cohorts/${cohortId}`, { name: 'Binge eating support' }, `/admin/cohorts/${cohortId}`);
    const renamed = await admin.get(`/admin/audit?target=${cohortId}`);
    expect(renamed.text).toContain('Target </span>Binge eating support <span class="nhsuk-body-s">(cohort)</span>');
  });

  it("a clinician's read of a member's care-team conversation names the member, and her username finds it", async () => {
    const anna = await signIn(t.app, 'anna');
    const mine = String((await anna.get(`/subnets/${ED()}/care-team/mine`)).headers.location);
    const clinician = await signIn(t.app, 'clinician');
    expect((await clinician.get(mine)).status).toBe(200);
    const admin = await signIn(t.app, 'admin');
    const page = await admin.get('/admin/audit?action=care_team.read&target=anna');
    expect(page.text).toContain('Target </span>Willow <span class="nhsuk-body-s">(anna)</span>');
    expect(page.text).toContain(`care_conversation ${mine.split('/').pop()}`);
    expect(page.text).toContain('in Eating Disorders');
  });

  it('an erased member shows in the viewer under their erased names, never the old ones', async () => {
    const tansy = await member('tansy', 'Tansy');
    const admin = await signIn(t.app, 'admin');
    await postForm(admin, `/admin/accounts/${tansy.id}/erase`, {}, '/admin/accounts');
    const page = await admin.get(`/admin/audit?action=account.erase&target=${tansy.id}`);
    expect(page.text).toMatch(/Target <\/span>Former member \S+ <span class="nhsuk-body-s">\(erased-/);
    expect(page.text).not.toContain('Tansy');
    expect(page.text).not.toContain('(tansy)');
  });

  it("the viewer's own reading is audited: viewing with its filter, and exporting", async () => {
    const admin = await signIn(t.app, 'admin');
    await admin.get('/admin/audit?action=login&target=anna&page=2');
    expect(await lastAudit('audit.view')).toMatchObject({
      actor_id: ids.user('admin'),
      details: { action: 'login', target: 'anna', actor: null, offset: 50 },
    });
    await admin.get('/admin/audit.csv?actor=clinician');
    expect(await lastAudit('audit.export')).toMatchObject({
      actor_id: ids.user('admin'),
      details: { actor: 'clinician', action: null },
    });
    // A refused look is not a reading: a clinician gets 404 and no audit.view row of theirs.
    const clinician = await signIn(t.app, 'clinician');
    expect((await clinician.get('/admin/audit')).status).toBe(404);
    expect(
      await t
        .db('audit_log')
        .where({ action: 'audit.view', actor_id: ids.user('clinician') })
        .first(),
    ).toBe(undefined);
  });
});

describe('admin account actions land on a page that says what was done', () => {
  it('the accounts list accepts its confirmation parameter with or without a search', async () => {
    const admin = await signIn(t.app, 'admin');
    for (const url of ['/admin/accounts?done=1', '/admin/accounts?q=anna&done=1', '/admin/accounts?done=__proto__'])
      expect(`${url} ${(await admin.get(url)).status}`).toBe(`${url} 200`);
  });

  it('suspend, reinstate, end sessions and erase each land at 200 naming what happened', async () => {
    const umber = await member('umber', 'Umber');
    const admin = await signIn(t.app, 'admin');
    const land = async (path: string, body: Record<string, string>, expected: string) => {
      const res = await postForm(admin, path, body, '/admin/accounts');
      expect(res.status).toBe(303);
      const page = await admin.get(String(res.headers.location));
      expect(page.status).toBe(200);
      expect(page.text).toContain(expected);
      expect(page.text).not.toContain('There is a problem with the request');
    };
    await land(
      `/admin/accounts/${umber.id}/suspend`,
      { reason: 'Agreed with the service after a review' },
      'Umber&#39;s account was suspended and they were signed out everywhere.',
    );
    await land(`/admin/accounts/${umber.id}/reinstate`, {}, 'Umber&#39;s account was reinstated.');
    await land(`/admin/accounts/${umber.id}/end-sessions`, {}, 'Umber&#39;s sessions were ended');
    await land(`/admin/accounts/${umber.id}/erase`, {}, 'The account was erased');
  });

  it('creating a staff account and saving its services land on a notice naming them and the services', async () => {
    const admin = await signIn(t.app, 'admin');
    const created = await postForm(
      admin,
      '/admin/staff',
      {
        username: 'drkite',
        displayName: 'Dr Kite',
        nickname: 'Kite',
        role: 'clinician',
        password: 'a long enough passphrase',
        subnetIds: [ED()],
      },
      '/admin/staff/new',
    );
    const page = String(created.headers.location);
    expect((await admin.get(page)).text).toContain(
      'Kite&#39;s account was created: Eating Disorders. They set up two-factor authentication when they first sign in.',
    );
    const id = page.split('/')[3]?.split('?')[0] ?? '';
    const saved = await postForm(
      admin,
      `/admin/staff/${id}/subnets`,
      { subnetIds: [ED(), ids.subnet('first-step')] },
      `/admin/staff/${id}`,
    );
    expect((await admin.get(String(saved.headers.location))).text).toContain(
      'Kite&#39;s services were saved: Eating Disorders, First Step.',
    );
  });

  it('reinstating an account that is already active changes nothing and claims nothing', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await postForm(admin, `/admin/accounts/${ids.user('bella')}/reinstate`, {}, '/admin/accounts');
    expect(res.headers.location).toBe('/admin/accounts?q=bella');
    expect((await admin.get(String(res.headers.location))).text).not.toContain('was reinstated');
  });
});
