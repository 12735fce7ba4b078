import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport } from '../helpers/factories.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const room = () => `/rooms/${ids.room('Anorexia living room')}`;

describe('the living room without JavaScript', () => {
  it('renders recent history on the server, escaped, with line breaks kept', async () => {
    await makeMessage(t.db, {
      roomId: ids.room('Anorexia living room'),
      authorId: ids.user('peermod'),
      body: 'Welcome <script>alert(1)</script>\nsecond line',
    });
    const anna = await signIn(t.app, 'anna');
    const page = await anna.get(room());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Welcome &lt;script&gt;alert(1)&lt;/script&gt;\nsecond line');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toMatch(
      /<strong>Sam<\/strong> <span class="nhsuk-tag nhsuk-tag--blue sharon-badge">Peer moderator<\/span>/,
    );
    expect(page.text).toMatch(/role="log"/);
  });

  it('a plain form posts a message (post, redirect, get) and a double submit makes one message', async () => {
    const anna = await signIn(t.app, 'anna');
    const page = await anna.get(room());
    const clientId = /name="clientId" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const first = await anna
      .post(`${room()}/messages`)
      .type('form')
      .send({ _csrf, clientId, body: 'from a plain form' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${room()}?sent=1#latest`);
    await anna.post(`${room()}/messages`).type('form').send({ _csrf, clientId, body: 'from a plain form' });
    expect(await t.db('messages').where({ client_id: clientId }).count('* as n').first()).toEqual({ n: 1 });
    expect((await anna.get(room())).text).toContain('from a plain form');
  });

  it('a refused message re-renders the page at 400 with the text kept and the error beside the field', async () => {
    const anna = await signIn(t.app, 'anna');
    const long = 'y'.repeat(2001);
    const res = await postForm(anna, `${room()}/messages`, { clientId: randomUUID(), body: long }, room());
    expect(res.status).toBe(400);
    expect(res.text).toContain('Your message is too long');
    expect(res.text).toContain(long);
    expect(res.text).toContain('There is a problem');
  });

  it('a held message shows to its author as waiting, and to nobody else', async () => {
    const anna = await signIn(t.app, 'anna');
    const res = await postForm(
      anna,
      `${room()}/messages`,
      { clientId: randomUUID(), body: 'text me on 07700 900123' },
      room(),
    );
    expect(res.headers.location).toContain('held=1');
    const mine = await anna.get(`${room()}?held=1`);
    expect(mine.text).toContain('Waiting for a moderator');
    expect(mine.text).toContain('text me on 07700 900123');
    const clinicianPage = await (await signIn(t.app, 'clinician')).get(room());
    expect(clinicianPage.text).not.toContain('text me on 07700 900123');
  });

  it('bella cannot post into the anorexia living room by form (404), and nothing is stored', async () => {
    const bella = await signIn(t.app, 'bella');
    const _csrf = await csrfFrom(bella, '/');
    const res = await bella
      .post(`${room()}/messages`)
      .type('form')
      .send({ _csrf, clientId: randomUUID(), body: 'let me in' });
    expect(res.status).toBe(404);
    expect(await t.db('messages').where({ body: 'let me in' }).first()).toBeUndefined();
  });

  it('the report page takes a reason; staff see it in the queue and dismiss it (audited)', async () => {
    const id = await makeMessage(t.db, {
      roomId: ids.room('Anorexia living room'),
      authorId: ids.user('peermod'),
      body: 'please report this one',
    });
    const anna = await signIn(t.app, 'anna');
    const empty = await postForm(anna, `/messages/${id}/report`, { reason: '' }, `/messages/${id}/report`);
    expect(empty.status).toBe(400);
    expect(
      (await postForm(anna, `/messages/${id}/report`, { reason: 'this upset me' }, `/messages/${id}/report`)).status,
    ).toBe(303);
    expect((await (await signIn(t.app, 'bella')).get(`/messages/${id}/report`)).status).toBe(404);
    const report = await t.db('reports').where({ message_id: id }).first();
    const peermod = await signIn(t.app, 'peermod');
    const queueUrl = `/subnets/${ids.subnet('eating-disorders')}/moderation`;
    expect((await peermod.get(queueUrl)).text).toContain('this upset me');
    expect((await postForm(peermod, `/moderation/reports/${report.id}/dismiss`, {}, queueUrl)).status).toBe(303);
    expect((await t.db('reports').where({ id: report.id }).first()).status).toBe('closed');
    expect(
      await t
        .db('audit_log')
        .where({ action: 'report.dismiss', target_id: String(report.id) })
        .first(),
    ).toBeTruthy();
  });

  it('the moderation queue is for the subnet staff only; members and admins get 404; only clinicians see suspend', async () => {
    const url = `/subnets/${ids.subnet('eating-disorders')}/moderation`;
    for (const u of ['anna', 'bella', 'carer', 'admin'])
      expect((await (await signIn(t.app, u)).get(url)).status).toBe(404);
    const id = await makeMessage(t.db, {
      roomId: ids.room('Anorexia living room'),
      authorId: ids.user('anna'),
      body: 'reported for the suspend button',
    });
    await makeReport(t.db, { messageId: id, reporterId: ids.user('bella'), reason: 'testing' });
    expect((await (await signIn(t.app, 'clinician')).get(url)).text).toContain('Suspend Willow');
    expect((await (await signIn(t.app, 'peermod')).get(url)).text).not.toContain('Suspend Willow');
    const peermod = await signIn(t.app, 'peermod');
    expect(
      (
        await postForm(
          peermod,
          `/moderation/messages/${id}/suspend-author`,
          { reason: 'Peer moderators cannot suspend' },
          url,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .db('users')
          .where({ id: ids.user('anna') })
          .first()
      ).status,
    ).toBe('active');
  });

  it('watched words: a clinician adds and deletes a rule; a peer moderator cannot see the page', async () => {
    const url = `/subnets/${ids.subnet('eating-disorders')}/watched-words`;
    const clinician = await signIn(t.app, 'clinician');
    const page = await clinician.get(url);
    expect(page.text).toContain('Email addresses');
    const bad = await postForm(clinician, url, { kind: 'phrase', phrase: '', action: 'alert', roomId: '' }, url);
    expect(bad.status).toBe(400);
    expect(
      (await postForm(clinician, url, { kind: 'phrase', phrase: 'hopeless', action: 'alert', roomId: '' }, url)).status,
    ).toBe(303);
    const rule = await t.db('watched_words').where({ pattern: 'hopeless' }).first();
    expect(rule.action).toBe('alert');
    expect((await postForm(clinician, `${url}/${rule.id}/delete`, {}, url)).status).toBe(303);
    expect(await t.db('watched_words').where({ pattern: 'hopeless' }).first()).toBeUndefined();
    expect((await (await signIn(t.app, 'peermod')).get(url)).status).toBe(404);
    expect((await (await signIn(t.app, 'admin')).get(url)).status).toBe(200);
  });
});
