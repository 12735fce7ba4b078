import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage } from '../helpers/factories.js';
import { auditQuery, listAudit } from '../../src/audit/audit.repo.js';

// The audit viewer's target filter (an id or a username) reads the log through an index on
// target_id: the log is append-only and never pruned, so a full read grows without end.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const audit = (action: string, targetType: string, targetId: string) =>
  t.db('audit_log').insert({ action, target_type: targetType, target_id: targetId });

/** The plan PostgreSQL chooses for the viewer's query. */
async function planOf(q: ReturnType<typeof auditQuery>): Promise<string> {
  const { sql, bindings } = q.toSQL();
  const { rows } = await t.db.raw(`EXPLAIN ${sql}`, bindings);
  return rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
}

describe("the audit viewer's target filter", () => {
  it("by username finds the account, the person's messages and nothing of anyone else's with the same id text", async () => {
    const messageId = await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna') });
    await audit('test.on_account', 'user', ids.user('anna'));
    await audit('test.on_message', 'message', String(messageId));
    await audit('test.on_alert_same_number', 'alert', String(messageId));
    await audit('test.on_bella', 'user', ids.user('bella'));
    const actions = (await listAudit(t.db, { targetId: 'ANNA' }, 50, 0)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['test.on_account', 'test.on_message']));
    expect(actions).not.toContain('test.on_alert_same_number');
    expect(actions).not.toContain('test.on_bella');
    const byId = (await listAudit(t.db, { targetId: String(messageId) }, 50, 0)).map((r) => r.action);
    expect(byId.sort()).toEqual(['test.on_alert_same_number', 'test.on_message']);
  });

  it('on a log of 50,000 rows, reads it through audit_log_target_id_idx, by id and by username', async () => {
    await t.db.raw(
      `INSERT INTO audit_log (action, target_type, target_id) SELECT 'test.bulk', 'message', g::text FROM generate_series(1, 50000) g`,
    );
    await t.db.raw('ANALYZE audit_log');
    for (const targetId of ['12345', 'anna'])
      expect(await planOf(auditQuery(t.db, { targetId }, 50, 0))).toContain('audit_log_target_id_idx');
  });
});
