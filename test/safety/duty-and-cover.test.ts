import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['admin', 'clinician', 'peermod', 'anna', 'bella']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;
const ed = () => ids.subnet('eating-disorders');
const room = () => `/rooms/${ids.room('Anorexia living room')}`;
const say = (user: string, body: string) =>
  postForm(as(user), `${room()}/messages`, { clientId: randomUUID(), body }, room());

describe('crisis signposting', () => {
  it('every signed-in page links to "Need help now?", which lists UK defaults and the subnet\'s contacts', async () => {
    for (const path of ['/', room(), '/notifications'])
      expect((await as('anna').get(path)).text).toContain('href="/help"');
    const help = await as('anna').get('/help');
    expect(help.status).toBe(200);
    expect(help.text).toContain('NHS <a href="tel:111">111</a>');
    expect(help.text).toContain('<a href="tel:116123">116 123</a>');
    expect(help.text).toContain('<a href="tel:999">999</a>');
    expect(help.text).toContain('Eating Disorders');
  });
});

describe('duty and cover', () => {
  it('staff go on and off duty from the lobby; rooms show who is on duty; the handover note reaches the clinicians', async () => {
    expect((await postForm(as('peermod'), `/subnets/${ed()}/duty/start`, {})).status).toBe(303);
    expect((await as('peermod').get('/')).text).toContain(
      'You are on duty in Eating Disorders.</strong> Alerts (watched words, and answers to PHQ-9 question 9) come to you live.',
    );
    const page = await as('anna').get(room());
    expect(page.text).toMatch(
      /On duty now[\s\S]*Sam <span class="nhsuk-tag nhsuk-tag--blue sharon-badge">Peer moderator<\/span>/,
    );
    expect(
      (
        await postForm(as('peermod'), `/subnets/${ed()}/duty/end`, {
          note: 'Two held messages approved; Willow had a hard evening.',
        })
      ).status,
    ).toBe(303);
    const log = await as('clinician').get(`/subnets/${ed()}/duty`);
    expect(log.text).toContain('Handover: Two held messages approved; Willow had a hard evening.');
    expect((await as('peermod').get(`/subnets/${ed()}/duty`)).status).toBe(404);
    expect((await as('anna').get(`/subnets/${ed()}/duty`)).status).toBe(404);
    expect((await postForm(as('anna'), `/subnets/${ed()}/duty/start`, {})).status).toBe(404);
  });

  it('a read-only cover: while nobody is on duty members cannot post (staff can); it lifts when someone goes on duty', async () => {
    await t
      .db('rooms')
      .where({ id: ids.room('Anorexia living room') })
      .update({ cover: 'read_only' });
    const page = await as('anna').get(room());
    expect(page.text).toContain('While nobody is on duty this room is read-only.');
    const refused = await say('anna', 'is anyone there?');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('this room is read-only');
    expect((await say('clinician', 'I am here though.')).status).toBe(303);
    await postForm(as('clinician'), `/subnets/${ed()}/duty/start`, {});
    expect((await say('anna', 'now I can talk')).status).toBe(303);
    await postForm(as('clinician'), `/subnets/${ed()}/duty/end`, { note: '' });
    await t
      .db('rooms')
      .where({ id: ids.room('Anorexia living room') })
      .update({ cover: 'open' });
  });

  it('a pre-moderated cover holds every member message for the next staff member while nobody is on duty', async () => {
    await t
      .db('rooms')
      .where({ id: ids.room('Anorexia living room') })
      .update({ cover: 'pre_moderated' });
    const res = await say('anna', 'an ordinary message at 3am');
    expect(res.headers.location).toContain('held=1');
    expect((await t.db('messages').where({ body: 'an ordinary message at 3am' }).first()).status).toBe('held');
    await t
      .db('rooms')
      .where({ id: ids.room('Anorexia living room') })
      .update({ cover: 'open' });
  });

  it("the admin sets a room's cover and a subnet's hours; bad hours are refused with a clear error", async () => {
    const url = `/admin/rooms/${ids.room('Bulimia living room')}`;
    const saved = await postForm(
      as('admin'),
      url,
      {
        name: 'Bulimia living room',
        description: '',
        kind: 'living_room',
        audience: [ids.cohort('eating-disorders/bulimia')],
        cover: 'read_only',
      },
      url,
    );
    expect(saved.status).toBe(303);
    expect(
      (
        await t
          .db('rooms')
          .where({ id: ids.room('Bulimia living room') })
          .first()
      ).cover,
    ).toBe('read_only');
    const subnetUrl = `/admin/subnets/${ed()}`;
    const bad = await postForm(
      as('admin'),
      subnetUrl,
      { name: 'Eating Disorders', slug: 'eating-disorders', hoursStart: '17:00', hoursEnd: '09:00', hoursDays: ['1'] },
      subnetUrl,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The closing time must be after the opening time');
    const good = await postForm(
      as('admin'),
      subnetUrl,
      {
        name: 'Eating Disorders',
        slug: 'eating-disorders',
        hoursStart: '08:00',
        hoursEnd: '20:00',
        hoursDays: ['1', '2', '3', '4', '5', '6'],
      },
      subnetUrl,
    );
    expect(good.status).toBe(303);
    expect(await t.db('subnets').where({ id: ed() }).first()).toMatchObject({
      hours_start: '08:00',
      hours_end: '20:00',
      hours_days: [1, 2, 3, 4, 5, 6],
    });
    await t
      .db('rooms')
      .where({ id: ids.room('Bulimia living room') })
      .update({ cover: 'open' });
  });
});
