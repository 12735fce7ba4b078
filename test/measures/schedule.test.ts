import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

/** The clinician's measure schedule and the admin's instruments from definition files. */
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const ED = () => ids.subnet('eating-disorders');
const schedule = () => `/subnets/${ED()}/measures`;
const adminPage = () => `/admin/subnets/${ED()}/measures`;
const EXAMPLE = readFileSync(new URL('../../docs/measures/example-instrument.json', import.meta.url), 'utf8');

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

/** Sends the admin's definition form as the browser does (multipart), with a file or pasted text. */
async function sendDefinition(agent: TestAgent, subnetId: string, def: { file?: string; pasted?: string }) {
  let req = agent
    .post(`/admin/subnets/${subnetId}/measures/instruments`)
    .field('_csrf', await csrfFrom(agent, `/admin/subnets/${subnetId}/measures`))
    .field('definition', def.pasted ?? '');
  if (def.file)
    req = req.attach('file', Buffer.from(def.file), { filename: 'def.json', contentType: 'application/json' });
  return req;
}

describe('a subnet’s measure schedule', () => {
  it('clinicians of the subnet and admins see it; peer moderators, members and clinicians of another subnet get 404', async () => {
    const page = await (await signIn(t.app, 'clinician')).get(schedule());
    expect(page.status).toBe(200);
    for (const words of ['PHQ-9: Depression', 'GAD-7: Anxiety', 'Kroenke K, Spitzer RL', 'No permission required'])
      expect(page.text).toContain(words);
    expect((await (await signIn(t.app, 'admin')).get(schedule())).status).toBe(200);
    const elsewhere = await makeUser(t.db, { role: 'clinician', subnetId: ids.subnet('first-step') });
    for (const agent of [
      await signIn(t.app, 'peermod'),
      await signIn(t.app, 'anna'),
      await signIn(t.app, elsewhere.username),
    ]) {
      expect((await agent.get(schedule())).status).toBe(404);
      expect((await postForm(agent, schedule(), { 'use-phq-9': 'yes', 'first-phq-9': '0' }, '/')).status).toBe(404);
    }
  });

  it('a clinician sets PHQ-9 at joining then every 28 days and GAD-7 once after 14; it is stored, audited and confirmed', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postForm(
      clinician,
      schedule(),
      {
        'use-phq-9': 'yes',
        'first-phq-9': '0',
        'every-phq-9': '28',
        'use-gad-7': 'yes',
        'first-gad-7': '14',
        'every-gad-7': '',
      },
      schedule(),
    );
    expect(res.status).toBe(303);
    const landed = await clinician.get(String(res.headers.location));
    expect(landed.text).toContain('Schedule saved.');
    expect(await t.db('subnet_measures').where({ subnet_id: ED() }).orderBy('instrument_key')).toMatchObject([
      { instrument_key: 'gad-7', first_after_days: 14, repeat_every_days: null, active: true },
      { instrument_key: 'phq-9', first_after_days: 0, repeat_every_days: 28, active: true },
    ]);
    const audit = await t.db('audit_log').where({ action: 'measure_schedule.save', target_id: 'gad-7' }).first();
    expect(audit.details).toMatchObject({ subnet_id: ED(), active: true, first_after_days: 14 });
    expect(landed.text).toMatch(/id="every-gad-7" name="every-gad-7" type="text" value=""/);
  });

  it('a multipart post without a token (which the CSRF middleware leaves to upload routes) changes nothing', async () => {
    const before = await t.db('subnet_measures').where({ subnet_id: ED() }).orderBy('instrument_key');
    for (const [who, path] of [
      ['clinician', schedule()],
      ['admin', `/admin/subnets/${ED()}/measures/enabled`],
      ['admin', `/admin/subnets/${ED()}/measures/instruments`],
    ] as const) {
      const res = await (await signIn(t.app, who)).post(path).field('definition', EXAMPLE);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
    }
    expect(await t.db('subnet_measures').where({ subnet_id: ED() }).orderBy('instrument_key')).toEqual(before);
  });

  it('bad numbers come back at 400 with an error summary and the input kept; nothing is saved', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await t.db('subnet_measures').where({ subnet_id: ED() }).orderBy('instrument_key');
    const res = await postForm(
      clinician,
      schedule(),
      { 'use-phq-9': 'yes', 'first-phq-9': 'soon', 'every-phq-9': '3', 'use-gad-7': 'yes', 'first-gad-7': '1' },
      schedule(),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain(
      '<a href="#first-phq-9">PHQ-9: enter the days after joining as a number from 0 to 365</a>',
    );
    expect(res.text).toContain('<a href="#every-phq-9">PHQ-9: enter how often in days, from 7 to 365');
    expect(res.text).toContain('value="soon"');
    expect(await t.db('subnet_measures').where({ subnet_id: ED() }).orderBy('instrument_key')).toEqual(before);
  });
});

describe('instruments from definition files', () => {
  it('only admins reach the page', async () => {
    expect((await (await signIn(t.app, 'admin')).get(adminPage())).status).toBe(200);
    for (const u of ['clinician', 'anna']) expect((await (await signIn(t.app, u)).get(adminPage())).status).toBe(404);
  });

  it('an admin uploads the example file: stored, enabled in the subnet, audited, and the clinician can schedule it', async () => {
    const admin = await signIn(t.app, 'admin');
    const page = await admin.get(adminPage());
    expect(page.text).toContain('Only add an instrument whose licence allows this use');
    const res = await sendDefinition(admin, ED(), { file: EXAMPLE });
    expect(res.status).toBe(303);
    expect((await admin.get(String(res.headers.location))).text).toContain('Instrument added and enabled');
    expect((await t.db('measure_instruments').where({ key: 'example-teacup' }).first()).definition).toMatchObject({
      name: 'Teacup-3',
    });
    expect(await t.db('subnet_instruments').where({ subnet_id: ED(), instrument_key: 'example-teacup' })).toHaveLength(
      1,
    );
    const actions = (await t.db('audit_log').where({ target_id: 'example-teacup' }).orderBy('id')).map((a) => a.action);
    expect(actions).toEqual(['measure_instrument.add', 'measure_instrument.enable']);
    const clinician = await signIn(t.app, 'clinician');
    expect((await clinician.get(schedule())).text).toContain('Teacup-3: A fictional example');
    expect((await clinician.get(`/subnets/${ids.subnet('ed-carers')}/measures`)).text ?? '').not.toContain('Teacup-3');
  });

  it('a bad file comes back at 400 listing each problem in words, with the pasted text kept', async () => {
    const admin = await signIn(t.app, 'admin');
    const broken = JSON.parse(EXAMPLE);
    delete broken.licence;
    broken.key = 'broken-one';
    const pasted = JSON.stringify(broken, null, 2);
    const res = await sendDefinition(admin, ED(), { pasted });
    expect(res.status).toBe(400);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('licence: is missing. Every definition must carry its licence note');
    expect(res.text).toContain('&#34;key&#34;: &#34;broken-one&#34;');
    expect(await t.db('measure_instruments').where({ key: 'broken-one' })).toHaveLength(0);
    const urlencoded = await postForm(
      admin,
      `/admin/subnets/${ED()}/measures/instruments`,
      { definition: '{ nope' },
      adminPage(),
    );
    expect(urlencoded.status).toBe(400);
    expect(urlencoded.text).toContain('The text is not valid JSON');
    expect(urlencoded.text).toContain('{ nope</textarea>');
  });

  it('refuses a built-in key, and replacing a definition that members have answered', async () => {
    const admin = await signIn(t.app, 'admin');
    const asPhq = await sendDefinition(admin, ED(), { pasted: EXAMPLE.replace('"example-teacup"', '"phq-9"') });
    expect(asPhq.status).toBe(400);
    expect(asPhq.text).toContain('“phq-9” is a built-in instrument’s key and cannot be replaced');
    const member = await makeUser(t.db, { subnetId: ED(), cohortId: ids.cohort('eating-disorders/anorexia') });
    await t.db('measure_responses').insert({
      user_id: member.id,
      subnet_id: ED(),
      instrument_key: 'example-teacup',
      instrument_version: '0.1 (fictional example)',
      due_at: new Date(),
      status: 'declined',
    });
    const replaced = await sendDefinition(admin, ED(), { pasted: EXAMPLE.replace('"Teacup-3"', '"Teacup-3b"') });
    expect(replaced.status).toBe(400);
    expect(replaced.text).toContain('already has 1 answer(s) from members, so its definition cannot be replaced');
    expect((await t.db('measure_instruments').where({ key: 'example-teacup' }).first()).definition.name).toBe(
      'Teacup-3',
    );
  });

  it('an admin disables an added instrument in a subnet: it is no longer on the schedule page, audited', async () => {
    const admin = await signIn(t.app, 'admin');
    const res = await postForm(admin, `/admin/subnets/${ED()}/measures/enabled`, {}, adminPage());
    expect(res.status).toBe(303);
    expect(await t.db('subnet_instruments').where({ subnet_id: ED() })).toHaveLength(0);
    expect(
      await t.db('audit_log').where({ action: 'measure_instrument.disable', target_id: 'example-teacup' }),
    ).toHaveLength(1);
    expect((await (await signIn(t.app, 'clinician')).get(schedule())).text).not.toContain('Teacup-3');
  });
});
