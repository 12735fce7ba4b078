import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
let annaConversation = '';

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['admin', 'clinician', 'peermod', 'anna', 'bella', 'carer']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;
const ed = () => ids.subnet('eating-disorders');

describe('care-team conversations', () => {
  it("anna writes privately to her care team; it waits in the clinicians' list, oldest first", async () => {
    const open = await as('anna').get(`/subnets/${ed()}/care-team/mine`);
    expect(open.status).toBe(303);
    annaConversation = String(open.headers.location).split('/').pop() ?? '';
    const url = `/care-team/conversations/${annaConversation}`;
    expect(
      (await postForm(as('anna'), `${url}/messages`, { body: 'I had a hard weekend.\nCan we talk?' }, url)).status,
    ).toBe(303);
    const inbox = await as('clinician').get(`/subnets/${ed()}/care-team`);
    expect(inbox.status).toBe(200);
    expect(inbox.text).toMatch(/Awaiting a reply \(1\)[\s\S]*Willow<\/a>: waiting \d+ minutes?/);
  });

  it('a clinician reads (audited) and answers with their staff name; anna is notified without the text', async () => {
    const url = `/care-team/conversations/${annaConversation}`;
    const page = await as('clinician').get(url);
    expect(page.text).toContain('I had a hard weekend.\nCan we talk?');
    expect(
      await t
        .db('audit_log')
        .where({ action: 'care_team.read', actor_id: ids.user('clinician'), target_id: annaConversation })
        .first(),
    ).toBeTruthy();
    expect(
      (await postForm(as('clinician'), `${url}/messages`, { body: 'Yes. I will call you tomorrow at 10.' }, url))
        .status,
    ).toBe(303);
    const mine = await as('anna').get(url);
    expect(mine.text).toContain('Dr Rowan Price (Clinician)');
    const n = await t
      .db('notifications')
      .where({ user_id: ids.user('anna'), kind: 'care_reply' })
      .first();
    expect(JSON.stringify(n)).not.toContain('call you tomorrow');
    expect((await t.db('care_conversations').where({ id: annaConversation }).first()).awaiting_since).toBeNull();
    expect(
      await t
        .db('audit_log')
        .where({ action: 'care_team.read', actor_id: ids.user('anna') })
        .first(),
    ).toBeUndefined();
  });

  it('nobody else reads it: bella, carer, admin and (by default) peermod get 404', async () => {
    const url = `/care-team/conversations/${annaConversation}`;
    for (const u of ['bella', 'carer', 'admin', 'peermod']) {
      expect(`${u} ${(await as(u).get(url)).status}`).toBe(`${u} 404`);
      expect(`${u} post ${(await postForm(as(u), `${url}/messages`, { body: 'let me in' })).status}`).toBe(
        `${u} post 404`,
      );
    }
    expect((await as('peermod').get(`/subnets/${ed()}/care-team`)).status).toBe(404);
    expect((await as('bella').get(`/subnets/${ed()}/care-team`)).status).toBe(404);
  });

  it('peer moderators read and answer only where the subnet allows it', async () => {
    await t.db('subnets').where({ id: ed() }).update({ care_team_includes_peer_moderators: true });
    expect((await as('peermod').get(`/care-team/conversations/${annaConversation}`)).status).toBe(200);
    expect((await as('peermod').get(`/subnets/${ed()}/care-team`)).status).toBe(200);
    await t.db('subnets').where({ id: ed() }).update({ care_team_includes_peer_moderators: false });
    expect((await as('peermod').get(`/care-team/conversations/${annaConversation}`)).status).toBe(404);
  });

  it('a member has a care team only in their own subnet; staff have none', async () => {
    expect((await as('anna').get(`/subnets/${ids.subnet('ed-carers')}/care-team/mine`)).status).toBe(404);
    expect((await as('clinician').get(`/subnets/${ed()}/care-team/mine`)).status).toBe(404);
    expect((await as('carer').get(`/subnets/${ids.subnet('ed-carers')}/care-team/mine`)).status).toBe(303);
    expect((await as('anna').get('/')).text).toContain('Write privately to your care team at Eating Disorders');
  });

  it('an empty message is refused with a clear error', async () => {
    const url = `/care-team/conversations/${annaConversation}`;
    const res = await postForm(as('anna'), `${url}/messages`, { body: '   ' }, url);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Write your message');
  });
});
