import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport } from '../helpers/factories.js';

// Removing or muting from the moderation queue is one use case: the message's status, its audit
// row, closing its reports and telling the reporters happen in one transaction, or none of them.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let clinician: TestAgent;

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  clinician = await signIn(t.app, 'clinician');
});
afterAll(async () => {
  await t.close();
});
afterEach(async () => {
  await t.db.raw('DROP TRIGGER IF EXISTS reports_refuse_close ON reports');
});

/** Makes closing any report fail, as a database error part-way through the use case would. */
async function breakClosingReports() {
  await t.db.raw(
    `CREATE OR REPLACE FUNCTION test_refuse_close() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'closing refused'; END $$`,
  );
  await t.db.raw(
    'CREATE TRIGGER reports_refuse_close BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION test_refuse_close()',
  );
}

async function reportedMessage() {
  const messageId = await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: ids.user('anna') });
  await makeReport(t.db, { messageId, reporterId: ids.user('peermod') });
  return messageId;
}

const queue = () => `/subnets/${ids.subnet('eating-disorders')}/moderation`;
const state = async (messageId: number) => ({
  message: (await t.db('messages').where({ id: messageId }).first('status'))?.status,
  reports: (await t.db('reports').where({ message_id: messageId }).select('status')).map((r) => r.status),
  audited: Number(
    (
      await t
        .db('audit_log')
        .where({ target_id: String(messageId), action: 'message.remove' })
        .count<{ count: string }[]>('* as count')
    )[0]?.count,
  ),
  told: Number(
    (
      await t
        .db('notifications')
        .where({ user_id: ids.user('peermod'), kind: 'report_outcome' })
        .count<{ count: string }[]>('* as count')
    )[0]?.count,
  ),
});

describe('removing a reported message from the queue', () => {
  it('when closing its reports fails, the message stays as it was, unaudited, and nobody is told', async () => {
    const messageId = await reportedMessage();
    const toldBefore = (await state(messageId)).told;
    await breakClosingReports();
    const res = await postForm(clinician, `/moderation/messages/${messageId}/remove`, { reason: 'Unsafe' }, queue());
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await state(messageId)).toEqual({ message: 'visible', reports: ['open'], audited: 0, told: toldBefore });
  });

  it('otherwise the message is removed, audited and its report closed, and the reporter is told, together', async () => {
    const messageId = await reportedMessage();
    const toldBefore = (await state(messageId)).told;
    const res = await postForm(clinician, `/moderation/messages/${messageId}/remove`, { reason: 'Unsafe' }, queue());
    expect(res.status).toBe(303);
    expect(await state(messageId)).toEqual({
      message: 'removed',
      reports: ['closed'],
      audited: 1,
      told: toldBefore + 1,
    });
  });
});

describe('muting the author of a reported message from the queue', () => {
  it('when closing its reports fails, no mute is kept', async () => {
    const messageId = await reportedMessage();
    await breakClosingReports();
    const res = await postForm(clinician, `/moderation/messages/${messageId}/mute`, { minutes: '60' }, queue());
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(
      await t
        .db('mutes')
        .where({ user_id: ids.user('anna') })
        .first(),
    ).toBeUndefined();
  });
});

describe('suspending the author of a reported message from the queue', () => {
  it('when closing its reports fails, the author stays active and keeps their sessions', async () => {
    const messageId = await reportedMessage();
    const anna = await signIn(t.app, 'anna');
    await breakClosingReports();
    const res = await postForm(
      clinician,
      `/moderation/messages/${messageId}/suspend-author`,
      { reason: 'Repeated unsafe messages' },
      `/moderation/messages/${messageId}/suspend-author`,
    );
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(
      await t
        .db('users')
        .where({ id: ids.user('anna') })
        .first('status'),
    ).toEqual({ status: 'active' });
    expect((await anna.get('/')).status).toBe(200);
  });
});
