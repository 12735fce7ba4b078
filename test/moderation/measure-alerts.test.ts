import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { makeSubnet, makeUser, type MadeSubnet, type MadeUser } from '../helpers/factories.js';
import { collect, connected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { raiseMeasureAlert } from '../../src/moderation/moderation.service.js';
import { escalateOverdueAlerts } from '../../src/safety/escalation.js';
import { listOpenItems } from '../../src/safety/handover.repo.js';
import { loadWorkload } from '../../src/monitoring/workload.js';
import { findSessionUser } from '../../src/auth/auth.service.js';
import { staffHome } from '../../src/workspace/workspace.service.js';
import type { Realtime } from '../../src/realtime/realtime.js';

// Issue 17 item 2, the moderation side: an answer above "Not at all" to PHQ-9 item 9 raises an alert
// to the member's care team at once, routed as a watched-word alert is (live to staff on duty and
// with an open page, after the commit only), in the alert queue, acknowledged there, escalated when
// overdue, and counted in the handover, the staff home and the metrics. Never the other answers.

let t: TestApp;
let base: string;
let sub: MadeSubnet;
let other: MadeSubnet;
let clinician: MadeUser;
let peer: MadeUser;
let otherClinician: MadeUser;
let member: MadeUser;
const agents = new Map<string, TestAgent>();
const sockets: Socket[] = [];
const ESCALATION_MINUTES = 10;

beforeAll(async () => {
  t = await startTestApp({ ALERT_ESCALATION_MINUTES: String(ESCALATION_MINUTES) });
  base = await t.listen();
  sub = await makeSubnet(t.db, { name: 'Measures service' });
  other = await makeSubnet(t.db, { name: 'Another service' });
  clinician = await makeUser(t.db, { role: 'clinician', subnetId: sub.id });
  peer = await makeUser(t.db, { role: 'peer_moderator', subnetId: sub.id });
  otherClinician = await makeUser(t.db, { role: 'clinician', subnetId: other.id });
  member = await makeUser(t.db, { subnetId: sub.id, cohortId: sub.cohorts.everyone, nickname: 'Marigold' });
  for (const u of [clinician, peer, otherClinician, member]) agents.set(u.id, await signIn(t.app, u.username));
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await t.close();
});
const as = (u: MadeUser) => agents.get(u.id) as TestAgent;
const queue = (s = sub) => `/subnets/${s.id}/moderation`;

let due = 0;
/** A member's answered PHQ-9 with item 9 at 1 ("Several days"); the other answers are distinctive (all 3). */
async function phq9Response(db = t.db, userId = member.id, subnetId = sub.id): Promise<string> {
  const items = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`phq9-${i + 1}`, i === 8 ? 1 : 3]));
  const [row] = await db('measure_responses')
    .insert({
      user_id: userId,
      subnet_id: subnetId,
      instrument_key: 'phq-9',
      instrument_version: '1',
      due_at: new Date(Date.UTC(2026, 0, 1) + ++due * 86_400_000),
      status: 'answered',
      item_scores: JSON.stringify(items),
      total: 25,
      band: 'Severe depression',
    })
    .returning('id');
  return String(row.id);
}

const MATCHED = 'PHQ-9 item 9: Several days';

/** Stores a response and raises its alert in one transaction, as the measures service does. */
async function answered(realtime: Realtime = t.realtime): Promise<{ responseId: string; alertId: number }> {
  return t.db.transaction(async (trx) => {
    const responseId = await phq9Response(trx);
    const alertId = await raiseMeasureAlert(trx, { subnetId: sub.id, responseId, matched: MATCHED }, realtime);
    return { responseId, alertId };
  });
}

/** A Realtime that records what it was asked to send, and when (inside or after the transaction). */
function recordingRealtime() {
  const sent: { subnetId: string; event: string; payload: unknown }[] = [];
  const realtime = {
    ...t.realtime,
    emitToStaffAndDuty: (subnetId: string, event: string, payload: unknown) => sent.push({ subnetId, event, payload }),
  } satisfies Realtime;
  return { realtime, sent };
}

async function socketOf(u: MadeUser): Promise<Socket> {
  const s = openSocket(base, await sessionCookie(base, u.username));
  sockets.push(s);
  await connected(s);
  return s;
}

const acknowledgeAll = () => t.db('alerts').whereNull('acknowledged_at').update({ acknowledged_at: t.db.fn.now() });

describe('raiseMeasureAlert', () => {
  it('stores one alert on the response in the same transaction, and tells staff only once it has committed', async () => {
    const { realtime, sent } = recordingRealtime();
    let sentInside = -1;
    const { responseId, alertId } = await t.db.transaction(async (trx) => {
      const id = await phq9Response(trx);
      const alert = await raiseMeasureAlert(trx, { subnetId: sub.id, responseId: id, matched: MATCHED }, realtime);
      sentInside = sent.length;
      return { responseId: id, alertId: alert };
    });
    expect(sentInside).toBe(0);
    const rows = await t.db('alerts').where({ measure_response_id: responseId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: alertId, subnet_id: sub.id, matched: MATCHED, message_id: null });
    expect(sent).toEqual([
      {
        subnetId: sub.id,
        event: 'alert:new',
        payload: {
          subnetId: sub.id,
          about: 'measure',
          nickname: 'Marigold',
          link: `/subnets/${sub.id}/members/${member.id}`,
        },
      },
    ]);
    await acknowledgeAll();
  });

  it('when the transaction rolls back there is neither a response nor an alert, and nobody is told', async () => {
    const { realtime, sent } = recordingRealtime();
    const before = Number((await t.db('alerts').count('* as n'))[0]?.n);
    await expect(
      t.db.transaction(async (trx) => {
        const responseId = await phq9Response(trx);
        await raiseMeasureAlert(trx, { subnetId: sub.id, responseId, matched: MATCHED }, realtime);
        throw new Error('the response could not be stored');
      }),
    ).rejects.toThrow('the response could not be stored');
    expect(Number((await t.db('alerts').count('* as n'))[0]?.n)).toBe(before);
    // A barrier: an effect scheduled after the rollback would have run by the time a later commit's does.
    await t.db.transaction(async () => undefined);
    expect(sent).toEqual([]);
  });

  it('refuses a response of another subnet (nothing is stored)', async () => {
    const foreign = await phq9Response(t.db, member.id, sub.id);
    await expect(
      t.db.transaction((trx) =>
        raiseMeasureAlert(trx, { subnetId: other.id, responseId: foreign, matched: MATCHED }, t.realtime),
      ),
    ).rejects.toThrow();
    expect(await t.db('alerts').where({ measure_response_id: foreign })).toEqual([]);
  });

  it("reaches the subnet's staff live (on duty or with an open page); staff of another subnet and members hear nothing", async () => {
    const heard = collect<Record<string, unknown>>(await socketOf(peer), 'alert:new');
    const others = [
      { user: otherClinician, socket: await socketOf(otherClinician) },
      { user: member, socket: await socketOf(member) },
    ];
    const overheard = others.map((o) => collect(o.socket, 'alert:new'));
    await answered();
    await eventually(() => heard.length === 1);
    expect(heard[0]).toEqual({
      subnetId: sub.id,
      about: 'measure',
      nickname: 'Marigold',
      link: `/subnets/${sub.id}/members/${member.id}`,
    });
    // A barrier: a later event to each of them arrives after any overheard alert would have.
    for (const o of others) {
      const barrier = collect(o.socket, 'test:barrier');
      t.realtime.emitToUser(o.user.id, 'test:barrier', {});
      await eventually(() => barrier.length === 1);
    }
    expect(overheard.map((o) => o.length)).toEqual([0, 0]);
    await acknowledgeAll();
  });
});

describe('the alert queue', () => {
  it('shows who (linked to their member page), the measure, item and answer, and when; never the other answers, the total or the band', async () => {
    const { alertId } = await answered();
    const page = await as(clinician).get(queue());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alerts (1)');
    expect(page.text).toContain(`<a href="/subnets/${sub.id}/members/${member.id}"><strong>Marigold</strong></a>`);
    expect(page.text).toContain(`Questionnaire answer: ${MATCHED}.`);
    expect(page.text).toContain(`action="/moderation/alerts/${alertId}/acknowledge"`);
    expect(page.text).not.toContain('Severe');
    // A room filter does not hide it: it belongs to the service, not to a room.
    const room = await t
      .db('rooms')
      .insert({ subnet_id: sub.id, kind: 'living_room', name: 'Measures living room' })
      .returning('id');
    expect((await as(clinician).get(`${queue()}?room=${room[0].id}`)).text).toContain(MATCHED);
    await acknowledgeAll();
  });

  it('staff of another service do not see it: their own queue does not list it and this queue is a 404 to them', async () => {
    await answered();
    expect((await as(otherClinician).get(queue())).status).toBe(404);
    const theirs = await as(otherClinician).get(queue(other));
    expect(theirs.status).toBe(200);
    expect(theirs.text).not.toContain('Marigold');
    expect(theirs.text).toContain('Alerts (0)');
    await acknowledgeAll();
  });

  it('acknowledging it lands on the queue confirmation, records who and when, and takes it off the queue; others cannot', async () => {
    const { alertId } = await answered();
    const path = `/moderation/alerts/${alertId}/acknowledge`;
    expect((await postForm(as(otherClinician), path, {}, queue(other))).status).toBe(404);
    expect((await postForm(as(member), path, {}, '/')).status).toBe(404);
    expect((await t.db('alerts').where({ id: alertId }).first()).acknowledged_at).toBeNull();

    const done = await postForm(as(peer), path, {}, queue());
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`${queue()}?done=acknowledged`);
    const row = await t.db('alerts').where({ id: alertId }).first();
    expect(row.acknowledged_by).toBe(peer.id);
    expect(row.acknowledged_at).not.toBeNull();
    const landed = await as(peer).get(`${queue()}?done=acknowledged`);
    expect(landed.text).toContain('The alert was acknowledged.');
    expect(landed.text).not.toContain(MATCHED);
    expect(
      await t
        .db('audit_log')
        .where({ action: 'alert.acknowledge', target_id: String(alertId) })
        .first(),
    ).toBeTruthy();
  });
});

describe('escalation, handover, staff home and metrics', () => {
  it('an overdue one is escalated once to every staff member of the service, with a link to the queue', async () => {
    const { alertId } = await answered();
    const now = new Date();
    await t
      .db('alerts')
      .where({ id: alertId })
      .update({ created_at: new Date(now.getTime() - 11 * 60_000) });
    expect((await as(clinician).get(queue())).text).toContain('Overdue');
    const escalated = await escalateOverdueAlerts(t.db, t.realtime, now, ESCALATION_MINUTES * 60_000);
    expect(escalated).toBeGreaterThanOrEqual(1);
    expect((await t.db('alerts').where({ id: alertId }).first()).escalated_at).not.toBeNull();
    const told = await t
      .db('notifications')
      .where({ kind: 'alert_escalated', subnet_id: sub.id })
      .select('user_id', 'link');
    expect(told.map((n) => n.user_id).sort()).toEqual([clinician.id, peer.id].sort());
    expect(told.every((n) => n.link === `/subnets/${sub.id}/moderation`)).toBe(true);
    // Once: a second run finds nothing more to escalate for it.
    await escalateOverdueAlerts(t.db, t.realtime, now, ESCALATION_MINUTES * 60_000);
    expect(await t.db('notifications').where({ kind: 'alert_escalated', subnet_id: sub.id })).toHaveLength(2);
    await acknowledgeAll();
  });

  it('the handover, the staff home and the metrics count it, and the handover links it to the queue', async () => {
    await answered();
    const open = await listOpenItems(t.db, sub.id);
    expect(open.counts.alert).toBe(1);
    expect(open.items.find((i) => i.kind === 'alert')).toMatchObject({ roomId: null });
    await t.db('duty_sessions').insert({ user_id: clinician.id, subnet_id: sub.id });
    const handover = await as(clinician).get(`/subnets/${sub.id}/handover`);
    expect(handover.text).toContain('1 unacknowledged alert');
    expect(handover.text).toContain(
      `<a href="/subnets/${sub.id}/moderation#alerts">A member's questionnaire answer</a>`,
    );
    await t.db('duty_sessions').where({ user_id: clinician.id }).update({ ended_at: t.db.fn.now() });

    const actor = await findSessionUser(t.db, clinician.id);
    if (!actor) throw new Error('no clinician');
    const home = await staffHome({ db: t.db, realtime: t.realtime, config: t.config }, actor, new Date());
    const line = home.summary.find((s) => s.name === 'Measures service')?.waiting.find((w) => w.key === 'alerts');
    expect(line).toMatchObject({ count: 1, overdue: 0 });

    const workload = (await loadWorkload(t.db, ESCALATION_MINUTES * 60_000, new Date())).find(
      (w) => w.subnet === sub.slug,
    );
    expect(workload?.alerts.count).toBe(1);
    expect(workload?.alerts.oldest).toBeInstanceOf(Date);
    await acknowledgeAll();
  });
});
