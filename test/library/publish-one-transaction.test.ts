import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';

// Publishing and unpublishing change what members can read: the status and its audit row are
// written together or not at all (issue 14 item 3).

let t: TestApp;
let clinician: TestAgent;

beforeAll(async () => {
  t = await startTestApp();
  clinician = await signIn(t.app, 'clinician');
});
afterAll(async () => {
  await t.close();
});
afterEach(async () => {
  await t.db.raw('DROP TRIGGER IF EXISTS audit_refuse_publish ON audit_log');
});

/** Makes writing the audit row of a (un)publish fail, as a database error at that moment would. */
async function breakAuditOf(action: string) {
  await t.db.raw(
    `CREATE OR REPLACE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = TG_ARGV[0] THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`,
  );
  await t.db.raw(
    `CREATE TRIGGER audit_refuse_publish BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_refuse_audit('${action}')`,
  );
}

const KINDS = [
  { table: 'library_items', url: (id: string) => `/library/items/${id}`, action: 'library.item.unpublish' },
  { table: 'videos', url: (id: string) => `/videos/${id}`, action: 'television.video.unpublish' },
] as const;

describe('unpublishing', () => {
  for (const k of KINDS) {
    it(`${k.action}: when its audit row cannot be written, the ${k.table} row stays published`, async () => {
      const row = await t.db(k.table).where({ status: 'published' }).first('id');
      expect(row).toBeDefined();
      const id = String(row?.id);
      await breakAuditOf(k.action);
      const res = await postForm(clinician, `${k.url(id)}/unpublish`, {}, k.url(id));
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(await t.db(k.table).where({ id }).first('status')).toEqual({ status: 'published' });
    });

    it(`${k.action}: otherwise the status and its audit row are written together`, async () => {
      const id = String((await t.db(k.table).where({ status: 'published' }).first('id'))?.id);
      const res = await postForm(clinician, `${k.url(id)}/unpublish`, {}, k.url(id));
      expect(res.status).toBe(303);
      expect(await t.db(k.table).where({ id }).first('status')).toEqual({ status: 'draft' });
      expect(
        await t
          .db('audit_log')
          .where({ action: k.action, target_id: id })
          .count<{ count: string }[]>('* as count')
          .then((r) => Number(r[0]?.count)),
      ).toBe(1);
    });
  }
});
