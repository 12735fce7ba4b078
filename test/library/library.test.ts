import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeRoom } from '../helpers/factories.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const edLibrary = () => ids.room('Eating disorders library');
const itemId = async (title: string) => (await t.db('library_items').where({ title }).first('id')).id as string;

async function postItem(
  agent: TestAgent,
  url: string,
  fields: Record<string, string>,
  pdf?: { buffer: Buffer; name: string },
) {
  const _csrf = await csrfFrom(agent, '/');
  let req = agent.post(url).field('_csrf', _csrf);
  const defaults = {
    title: 'A new item',
    summary: 'Short',
    body: 'Body',
    source: 'NHS',
    reviewedBy: ids.user('clinician'),
    reviewedOn: '2026-11-01',
    nextReviewOn: '2027-11-01',
    status: 'published',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...fields })) req = req.field(k, v);
  if (pdf) req = req.attach('attachment', pdf.buffer, { filename: pdf.name, contentType: 'application/pdf' });
  return req;
}

describe('adding library items', () => {
  it('a clinician adds an item with a PDF; members read it, its accreditation and download the PDF', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postItem(
      clinician,
      `/rooms/${edLibrary()}/items`,
      { title: 'Sleep and recovery', body: '## Why sleep matters\n\nRest **helps**.' },
      { buffer: PDF, name: 'sleep.pdf' },
    );
    expect(res.status).toBe(303);
    const anna = await signIn(t.app, 'anna');
    const page = await anna.get(`/library/items/${await itemId('Sleep and recovery')}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h3>Why sleep matters</h3>');
    expect(page.text).toContain('Source: NHS.');
    expect(page.text).toContain('Reviewed by Dr Rowan Price on 1 November 2026');
    expect(page.text).not.toContain('Next review due');
    const fileId = /href="\/files\/([0-9a-f-]{36})" download/.exec(page.text)?.[1];
    const file = await anna.get(`/files/${fileId}`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="sleep.pdf"/);
    expect(file.headers['cache-control']).toBe('private, no-store');
    expect(await t.db('audit_log').where({ action: 'library.item.create' }).first()).toBeTruthy();
  });

  it('scripts, event handlers and javascript: links in an item never reach the page', async () => {
    const clinician = await signIn(t.app, 'clinician');
    await postItem(clinician, `/rooms/${edLibrary()}/items`, {
      title: 'Hostile item',
      body: '<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))',
    });
    const page = await (await signIn(t.app, 'anna')).get(`/library/items/${await itemId('Hostile item')}`);
    expect(page.text).not.toMatch(/<script>alert|<img[^>]*onerror=|href="javascript:/);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a file named .pdf that is not a PDF is refused with a clear error, and nothing is saved', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postItem(
      clinician,
      `/rooms/${edLibrary()}/items`,
      { title: 'Not really a PDF' },
      { buffer: Buffer.from('MZ this is an executable'), name: 'leaflet.pdf' },
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('The attachment must be PDF');
    expect(res.text).toContain('value="Not really a PDF"');
    expect(await t.db('library_items').where({ title: 'Not really a PDF' }).first()).toBeUndefined();
  });

  it('bad dates and a reviewer who is not a clinician of the service are refused', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const dates = await postItem(clinician, `/rooms/${edLibrary()}/items`, {
      title: 'Dated',
      reviewedOn: '2026-11-01',
      nextReviewOn: '2026-10-01',
    });
    expect(dates.text).toContain('The next review date must be after the review date');
    const reviewer = await postItem(clinician, `/rooms/${edLibrary()}/items`, {
      title: 'Reviewed by a peer',
      reviewedBy: ids.user('peermod'),
    });
    expect(reviewer.text).toContain('Choose a clinician of this service');
  });

  it('a multipart form without its CSRF token is refused before any file is kept', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await t.db('files').count('* as n').first();
    const res = await clinician
      .post(`/rooms/${edLibrary()}/items`)
      .field('title', 'No token')
      .attach('attachment', PDF, { filename: 'x.pdf', contentType: 'application/pdf' });
    expect(res.status).toBe(403);
    expect((await t.db('files').count('* as n').first())?.n).toBe(before?.n);
  });

  for (const user of ['peermod', 'anna', 'bella', 'carer']) {
    it(`${user} cannot add items (the form answers 403 or 404)`, async () => {
      const agent = await signIn(t.app, user);
      const res = await postItem(agent, `/rooms/${edLibrary()}/items`, { title: `By ${user}` });
      expect([403, 404]).toContain(res.status);
      expect(
        await t
          .db('library_items')
          .where({ title: `By ${user}` })
          .first(),
      ).toBeUndefined();
    });
  }

  it('an admin adds an item through the admin pages only, and cannot read the room', async () => {
    const admin = await signIn(t.app, 'admin');
    expect((await admin.get(`/rooms/${edLibrary()}/items/new`)).status).toBe(404);
    expect((await admin.get(`/admin/rooms/${edLibrary()}/items/new`)).status).toBe(200);
    const res = await postItem(admin, `/admin/rooms/${edLibrary()}/items`, { title: 'Added by the admin' });
    expect(res.status).toBe(303);
    expect((await admin.get(`/library/items/${await itemId('Added by the admin')}`)).status).toBe(404);
  });
});

describe('drafts and publishing', () => {
  it('a draft is seen by staff only; publishing shows it; unpublishing keeps it', async () => {
    const clinician = await signIn(t.app, 'clinician');
    await postItem(clinician, `/rooms/${edLibrary()}/items`, { title: 'Work in progress', status: 'draft' });
    const id = await itemId('Work in progress');
    const anna = await signIn(t.app, 'anna');
    expect((await anna.get(`/library/items/${id}`)).status).toBe(404);
    expect((await anna.get(`/rooms/${edLibrary()}`)).text).not.toContain('Work in progress');
    expect((await (await signIn(t.app, 'peermod')).get(`/library/items/${id}`)).status).toBe(200);
    const token = await csrfFrom(clinician, `/library/items/${id}`);
    expect((await clinician.post(`/library/items/${id}/publish`).type('form').send({ _csrf: token })).status).toBe(303);
    expect((await anna.get(`/library/items/${id}`)).status).toBe(200);
    await clinician.post(`/library/items/${id}/unpublish`).type('form').send({ _csrf: token });
    expect((await anna.get(`/library/items/${id}`)).status).toBe(404);
    expect(await t.db('library_items').where({ id }).first()).toMatchObject({ status: 'draft' });
  });
});

describe('who can open which item and attachment', () => {
  it('each demo user tries every demo item URL directly', async () => {
    const items = await t
      .db('library_items as i')
      .join('rooms as r', 'r.id', 'i.room_id')
      .whereIn('i.title', ['What to expect from your first appointment', 'Coping with difficult evenings'])
      .select('i.id', 'r.name as room');
    const expected: Record<string, string[]> = {
      admin: [],
      clinician: ['First Step library', 'Eating disorders library'],
      peermod: ['Eating disorders library'],
      anna: ['Eating disorders library'],
      bella: ['Eating disorders library'],
      carer: [],
    };
    for (const [user, rooms] of Object.entries(expected)) {
      const agent = await signIn(t.app, user);
      for (const item of items) {
        const status = (await agent.get(`/library/items/${item.id}`)).status;
        expect(`${user} ${item.room} ${status}`).toBe(`${user} ${item.room} ${rooms.includes(item.room) ? 200 : 404}`);
      }
    }
  });
});

describe('search', () => {
  it('ranks matches with highlighted, escaped snippets', async () => {
    const anna = await signIn(t.app, 'anna');
    const res = await anna.get('/library/search?q=evenings');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Coping with difficult evenings');
    expect(res.text).toMatch(/<mark>evenings<\/mark>/i);
  });

  it('never returns an item from a library the member cannot enter, even when asked for that room', async () => {
    const anna = await signIn(t.app, 'anna');
    const all = await anna.get('/library/search?q=appointment');
    expect(all.text).not.toContain('What to expect from your first appointment');
    const forced = await anna.get(`/library/search?q=appointment&room=${ids.room('First Step library')}`);
    expect(forced.text).not.toContain('What to expect from your first appointment');
    const clinician = await signIn(t.app, 'clinician');
    expect((await clinician.get('/library/search?q=appointment')).text).toContain(
      'What to expect from your first appointment',
    );
  });

  it('a malformed search query is a 400, not a 500', async () => {
    const anna = await signIn(t.app, 'anna');
    expect((await anna.get('/library/search?room=not-a-room')).status).toBe(400);
    expect((await anna.get(`/library/search?q=${encodeURIComponent("'); DROP TABLE library_items; --")}`)).status).toBe(
      200,
    );
  });
});

describe('needs review', () => {
  it('staff see items past their review date; members get 404', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await clinician.get(`/subnets/${ids.subnet('first-step')}/needs-review`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Eating disorders: recognising the signs');
    expect(res.text).not.toContain('What to expect from your first appointment');
    expect(
      (await (await signIn(t.app, 'anna')).get(`/subnets/${ids.subnet('eating-disorders')}/needs-review`)).status,
    ).toBe(404);
  });
});

describe("a library room's pages", () => {
  it('shows 20 items a page, newest change first, with next and previous pages; members never see drafts', async () => {
    const subnetId = (await t.db('rooms').where({ id: edLibrary() }).first('subnet_id')).subnet_id as string;
    const roomId = await makeRoom(t.db, { subnetId, kind: 'library', name: 'A long library' });
    const base = { room_id: roomId, summary: '', body_md: 'Text', body_text: 'Text', source: 'NHS' };
    const dates = { reviewed_on: '2026-11-01', next_review_on: '2027-11-01' };
    await t.db('library_items').insert([
      ...Array.from({ length: 25 }, (_, i) => ({
        ...base,
        ...dates,
        title: `Paged item ${String(i + 1).padStart(2, '0')}`,
        status: 'published',
        published_at: new Date(),
        updated_at: new Date(Date.UTC(2026, 10, 1, 0, i)),
      })),
      { ...base, ...dates, title: 'Paged draft', status: 'draft' },
    ]);
    const titles = (html: string) => [...html.matchAll(/>(Paged [^<]+)<\/a>/g)].map((m) => m[1]);
    const anna = await signIn(t.app, 'anna');
    const first = await anna.get(`/rooms/${roomId}`);
    expect(first.status).toBe(200);
    expect(titles(first.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Paged item ${String(25 - i).padStart(2, '0')}`),
    );
    expect(first.text).toContain('href="?page=2"');
    expect(first.text).not.toContain('Previous page');
    const second = await anna.get(`/rooms/${roomId}?page=2`);
    expect(titles(second.text)).toEqual([
      'Paged item 05',
      'Paged item 04',
      'Paged item 03',
      'Paged item 02',
      'Paged item 01',
    ]);
    expect(second.text).toContain('href="?page=1"');
    expect(second.text).not.toContain('Next page');
    const clinician = await signIn(t.app, 'clinician');
    expect(titles((await clinician.get(`/rooms/${roomId}`)).text)[0]).toBe('Paged draft');
    expect((await anna.get(`/rooms/${roomId}?page=0`)).status).toBe(400);
    expect((await anna.get(`/rooms/${roomId}?page=3`)).text).toContain('There are no more items');
  });
});
