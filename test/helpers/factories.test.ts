import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from './app.js';
import { makeMessage, makeReport, makeRoom, makeSubnet, makeUser } from './factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('test factories', () => {
  it('build a subnet, a room for one cohort, a member of each cohort and a clinician who sign in and see what the policy says', async () => {
    const subnet = await makeSubnet(t.db, { cohorts: ['oak', 'elm'] });
    const room = await makeRoom(t.db, { subnetId: subnet.id, cohortIds: [subnet.cohorts.oak ?? ''] });
    const oak = await makeUser(t.db, { subnetId: subnet.id, cohortId: subnet.cohorts.oak });
    const elm = await makeUser(t.db, { subnetId: subnet.id, cohortId: subnet.cohorts.elm });
    const clinician = await makeUser(t.db, { role: 'clinician', subnetId: subnet.id });
    expect((await (await signIn(t.app, oak.username)).get(`/rooms/${room}`)).status).toBe(200);
    expect((await (await signIn(t.app, elm.username)).get(`/rooms/${room}`)).status).toBe(404);
    expect((await (await signIn(t.app, clinician.username)).get(`/rooms/${room}`)).status).toBe(200);
  });

  it("a message records its author's role, and a report points at it", async () => {
    const subnet = await makeSubnet(t.db);
    const room = await makeRoom(t.db, { subnetId: subnet.id });
    const peer = await makeUser(t.db, { role: 'peer_moderator', subnetId: subnet.id });
    const member = await makeUser(t.db, { subnetId: subnet.id, cohortId: subnet.cohorts.everyone });
    const id = await makeMessage(t.db, { roomId: room, authorId: peer.id, body: 'hello' });
    expect(await t.db('messages').where({ id }).first('author_role', 'body', 'status')).toEqual({
      author_role: 'peer_moderator',
      body: 'hello',
      status: 'visible',
    });
    const report = await makeReport(t.db, { messageId: id, reporterId: member.id });
    expect((await t.db('reports').where({ id: report }).first('status')).status).toBe('open');
  });
});
