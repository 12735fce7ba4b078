import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let bella: TestAgent;
let anna: TestAgent;
const MISSING = '00000000-0000-4000-8000-000000000000';
// The 404 page carries a request reference and a fresh CSRF token: the rest must be identical.
const strip = (s: string) => s.replace(/reference [0-9a-f-]{36}/, '').replace(/value="[^"]+"/g, '');

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  bella = await signIn(t.app, 'bella');
  anna = await signIn(t.app, 'anna');
});
afterAll(async () => {
  await t.close();
});

describe('one room route: GET /rooms/:id for every kind', () => {
  // bella (bulimia, Eating Disorders) may not see any of these.
  const HIDDEN = {
    living_room: 'Anorexia living room',
    library: 'Carers library',
    television: 'First Step television',
    noticeboard: 'Anorexia noticeboard',
  } as const;
  for (const [kind, name] of Object.entries(HIDDEN)) {
    it(`a ${kind} bella may not see answers exactly as a room that does not exist`, async () => {
      const hidden = await bella.get(`/rooms/${ids.room(name)}`);
      const missing = await bella.get(`/rooms/${MISSING}`);
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect(strip(hidden.text)).toBe(strip(missing.text));
    });
  }

  it('a denied visit is asked of the policy once: one audit row, whatever the kind', async () => {
    for (const name of Object.values(HIDDEN)) {
      const before = await t
        .db('audit_log')
        .where({ actor_id: ids.user('bella'), outcome: 'denied' })
        .count<{ count: string }[]>('* as count');
      await bella.get(`/rooms/${ids.room(name)}`);
      const after = await t
        .db('audit_log')
        .where({ actor_id: ids.user('bella'), outcome: 'denied' })
        .count<{ count: string }[]>('* as count');
      expect(`${name}: ${Number(after[0]?.count) - Number(before[0]?.count)}`).toBe(`${name}: 1`);
    }
  });

  it('each kind gets its own page from the one route', async () => {
    const pages = await Promise.all(
      [
        'Anorexia living room',
        'Eating disorders library',
        'Eating disorders television',
        'Eating disorders noticeboard',
      ].map((n) => anna.get(`/rooms/${ids.room(n)}`)),
    );
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200]);
    expect(pages.map((p) => /Eating Disorders · ([A-Za-z ]+)/.exec(p.text)?.[1])).toEqual([
      'Living room',
      'Library',
      'Television',
      'Noticeboard',
    ]);
  });
});

describe('a room of the wrong kind is a room that does not exist', () => {
  it('sending a chat message to a library anna may enter answers as a missing room', async () => {
    const library = ids.room('Eating disorders library');
    const wrong = await postForm(
      anna,
      `/rooms/${library}/messages`,
      { clientId: crypto.randomUUID(), body: 'hello' },
      `/rooms/${library}`,
    );
    const missing = await postForm(
      anna,
      `/rooms/${MISSING}/messages`,
      { clientId: crypto.randomUUID(), body: 'hello' },
      `/rooms/${library}`,
    );
    expect([wrong.status, missing.status]).toEqual([404, 404]);
    expect(strip(wrong.text)).toBe(strip(missing.text));
    expect(
      Number((await t.db('messages').where({ room_id: library }).count<{ count: string }[]>('* as count'))[0]?.count),
    ).toBe(0);
  });

  it('starting a thread in a living room anna may enter answers as a missing room', async () => {
    const living = ids.room('Anorexia living room');
    const wrong = await postForm(
      anna,
      `/rooms/${living}/threads`,
      { title: 'A title', body: 'A body' },
      `/rooms/${living}`,
    );
    const missing = await postForm(
      anna,
      `/rooms/${MISSING}/threads`,
      { title: 'A title', body: 'A body' },
      `/rooms/${living}`,
    );
    expect([wrong.status, missing.status]).toEqual([404, 404]);
    expect(strip(wrong.text)).toBe(strip(missing.text));
  });
});
