import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { listItemPage } from '../../src/library/library.repo.js';

// A library room's page reads its 20 items in order through an index and stops, rather than
// reading and sorting every item of the room (each row wide with its text) on every view.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

describe("a library room's page", () => {
  it('in a room of 2,000 items, reads the page through library_items_page_order_idx, drafts first then the latest changed', async () => {
    const roomId = ids.room('Eating disorders library');
    await t.db.raw(
      `INSERT INTO library_items (room_id, title, summary, body_md, body_text, source, reviewed_on, next_review_on, status, updated_at)
       SELECT ?, 'Bulk ' || g, '', repeat('x', 2000), repeat('x', 2000), 'Test', current_date, current_date + 365,
              CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END, now() + interval '1 day' - g * interval '1 minute'
       FROM generate_series(1, 2000) g`,
      [roomId],
    );
    await t.db.raw('ANALYZE library_items');
    const { rows } = await t.db.raw(
      `EXPLAIN SELECT id FROM library_items WHERE room_id = ? AND status = 'published'
       ORDER BY status, updated_at DESC, id LIMIT 21 OFFSET 0`,
      [roomId],
    );
    expect(rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toContain(
      'library_items_page_order_idx',
    );
    const staff = await listItemPage(t.db, roomId, true, 1);
    expect(staff.items.slice(0, 2).map((i) => i.title)).toEqual(['Bulk 10', 'Bulk 20']);
    const readers = await listItemPage(t.db, roomId, false, 1);
    expect(readers.items.slice(0, 2).map((i) => i.title)).toEqual(['Bulk 1', 'Bulk 2']);
    expect(readers.hasNext).toBe(true);
  });
});
