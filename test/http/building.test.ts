import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
const USERS = ['admin', 'clinician', 'peermod', 'anna', 'bella', 'carer'] as const;

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of USERS) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});
const as = (u: string) => agents.get(u) as TestAgent;

/** Which demo rooms each demo user's key opens (everything else must be a 404). */
const ED_ROOMS = [
  'Anorexia living room',
  'Bulimia living room',
  'Binge eating living room',
  'Recovered members room',
  'Eating disorders library',
  'Eating disorders television',
  'Eating disorders noticeboard',
  'Anorexia noticeboard',
];
const OPENS: Record<(typeof USERS)[number], string[]> = {
  admin: [],
  clinician: [...ED_ROOMS, 'First Step library', 'First Step television', 'First Step noticeboard'],
  peermod: ED_ROOMS,
  anna: [
    'Anorexia living room',
    'Eating disorders library',
    'Eating disorders television',
    'Eating disorders noticeboard',
    'Anorexia noticeboard',
  ],
  bella: [
    'Bulimia living room',
    'Eating disorders library',
    'Eating disorders television',
    'Eating disorders noticeboard',
  ],
  carer: ['Carers living room', 'Carers library', 'Carers noticeboard'],
};

describe('every demo user tries every room URL directly', () => {
  for (const user of USERS) {
    it(`${user} enters exactly the rooms their key opens and gets 404 for every other`, async () => {
      for (const room of ids.allRooms) {
        const res = await as(user).get(`/rooms/${room.id}`);
        const expected = OPENS[user].includes(room.name) ? 200 : 404;
        expect(`${room.name}: ${res.status}`).toBe(`${room.name}: ${expected}`);
      }
    });

    it(`${user}'s lobby lists exactly the rooms the room page lets them open`, async () => {
      const lobby = await as(user).get('/');
      expect(lobby.status).toBe(200);
      const listed = [...lobby.text.matchAll(/href="\/rooms\/([0-9a-f-]{36})"/g)]
        .map((m) => ids.allRooms.find((r) => r.id === m[1])?.name)
        .sort();
      expect(listed).toEqual([...OPENS[user]].sort());
    });
  }
});

describe('not found means not found', () => {
  it('bella gets the same 404 page for the anorexia living room as for a room that does not exist', async () => {
    const hidden = await as('bella').get(`/rooms/${ids.room('Anorexia living room')}`);
    const missing = await as('bella').get('/rooms/00000000-0000-4000-8000-000000000000');
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (s: string) => s.replace(/reference [0-9a-f-]{36}/, '').replace(/value="[^"]+"/g, '');
    expect(strip(hidden.text)).toBe(strip(missing.text));
  });

  it('malformed ids are 404, never 500', async () => {
    for (const bad of ['nope', '1', "1' OR 1=1", '%00', 'x'.repeat(300)]) {
      expect((await as('anna').get(`/rooms/${encodeURIComponent(bad)}`)).status).toBe(404);
    }
  });

  it('a denied room visit is written to the audit log with the reason', async () => {
    await as('bella').get(`/rooms/${ids.room('Anorexia living room')}`);
    const row = await t
      .db('audit_log')
      .where({ actor_id: ids.user('bella'), outcome: 'denied' })
      .orderBy('id', 'desc')
      .first();
    expect(row?.reason).toBe('not_in_cohort');
    expect(row?.target_id).toContain(ids.room('Anorexia living room'));
  });

  it('a visitor who is not signed in is sent to sign in, and JSON clients get 401', async () => {
    const page = await request(t.app)
      .get(`/rooms/${ids.room('Anorexia living room')}`)
      .set('Accept', 'text/html');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login');
    const api = await request(t.app).get('/').set('Accept', 'application/json');
    expect(api.status).toBe(401);
    expect(api.body).toEqual({ error: 'unauthenticated' });
  });
});

describe('a room page', () => {
  it("shows anna her living room's name, kind and who it is for", async () => {
    const res = await as('anna').get(`/rooms/${ids.room('Anorexia living room')}`);
    expect(res.text).toContain('<h1>Anorexia living room</h1>');
    expect(res.text).toContain('Eating Disorders · Living room');
    expect(res.text).toContain('Who it is for: Anorexia');
  });

  it("shows the library's name, kind and who it is for", async () => {
    const res = await as('bella').get(`/rooms/${ids.room('Eating disorders library')}`);
    expect(res.text).toContain('<h1>Eating disorders library</h1>');
    expect(res.text).toContain('Eating Disorders · Library');
    expect(res.text).toContain('Who it is for: Anorexia, Binge eating, Bulimia');
  });

  it("shows the noticeboard's name, kind and who it is for", async () => {
    const res = await as('bella').get(`/rooms/${ids.room('Eating disorders noticeboard')}`);
    expect(res.text).toContain('<h1>Eating disorders noticeboard</h1>');
    expect(res.text).toContain('Who it is for: Anorexia, Binge eating, Bulimia');
  });
});

describe('suspension applies at once', () => {
  it('a suspended member loses their open session, and cannot sign in again', async () => {
    const victim = await signIn(t.app, 'bella');
    expect((await victim.get('/')).status).toBe(200);
    await t.db('users').where({ username: 'bella' }).update({ status: 'suspended' });
    const res = await victim.get(`/rooms/${ids.room('Bulimia living room')}`);
    expect(res.status).toBe(303);
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/login');
    const again = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, username: 'bella', password: 'demo-password-for-tests' });
    expect(again.status).toBe(401);
    expect(again.text).toContain('suspended');
    await t.db('users').where({ username: 'bella' }).update({ status: 'active' });
  });
});
