import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage } from '../helpers/factories.js';

// Issue 13 item 3: going off duty cannot drop an open alert. With open items a handover note is
// required; the next person on duty finds the note and the open items on the page that confirms it.

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
const agents = new Map<string, TestAgent>();
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const u of ['clinician', 'peermod', 'anna']) agents.set(u, await signIn(t.app, u));
});
afterAll(async () => {
  await t.close();
});

const as = (u: string) => agents.get(u) as TestAgent;
const ed = () => ids.subnet('eating-disorders');
const anorexia = () => ids.room('Anorexia living room');
const handoverPage = () => `/subnets/${ed()}/handover`;
const isOnDuty = async (user: string) =>
  Boolean(
    await t
      .db('duty_sessions')
      .where({ user_id: ids.user(user), subnet_id: ed() })
      .whereNull('ended_at')
      .first(),
  );
const NOTE =
  'Willow used an alert phrase at 21:40; I spoke with her in the room and she is safe tonight. One held message left for a clinician.';

/** Open items in Eating Disorders: an unacknowledged alert (sent for real), a held message and a care-team message awaiting a reply. */
async function openItems(): Promise<void> {
  const room = `/rooms/${anorexia()}`;
  const sent = await postForm(
    as('anna'),
    `${room}/messages`,
    { clientId: randomUUID(), body: 'I want to end it all' },
    room,
  );
  expect(sent.headers.location).toContain('support=');
  await makeMessage(t.db, {
    roomId: anorexia(),
    authorId: ids.user('anna'),
    body: 'held for a moderator',
    status: 'held',
    heldReason: 'email',
  });
  await t.db('care_conversations').insert({ subnet_id: ed(), member_id: ids.user('anna'), awaiting_since: new Date() });
}

describe('handover that cannot drop an open alert', () => {
  it('going off duty with open items and an empty note is refused at 400 listing the items; with a note it succeeds', async () => {
    await postForm(as('peermod'), `/subnets/${ed()}/duty/start`, {});
    await openItems();

    const refused = await postForm(as('peermod'), `/subnets/${ed()}/duty/end`, { note: '   ' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain(
      'href="#note">Write a handover note: there are open items the next person on duty needs to know about',
    );
    expect(refused.text).toContain('1 unacknowledged alert');
    expect(refused.text).toContain('1 held message');
    expect(refused.text).toContain('1 care-team conversation awaiting a reply');
    expect(refused.text).toContain(`<a href="/rooms/${anorexia()}">Anorexia living room</a>`);
    expect(refused.text).not.toContain('end it all'); // the list names rooms, never message text
    expect(await isOnDuty('peermod')).toBe(true);

    // Bad input gets a clear error and loses nothing: the note comes back as typed.
    const tooLong = `${NOTE} ${'x'.repeat(2000)}`;
    const long = await postForm(as('peermod'), `/subnets/${ed()}/duty/end`, { note: tooLong });
    expect(long.status).toBe(400);
    expect(long.text).toContain('The handover note must be 2000 characters or fewer');
    expect(long.text).toContain(tooLong.slice(0, 200));
    expect(await isOnDuty('peermod')).toBe(true);

    const ended = await postForm(as('peermod'), `/subnets/${ed()}/duty/end`, { note: NOTE });
    expect(ended.status).toBe(303);
    expect(ended.headers.location).toBe(`${handoverPage()}?duty=off`);
    expect(await isOnDuty('peermod')).toBe(false);
    const confirmed = await as('peermod').get(String(ended.headers.location));
    expect(confirmed.text).toContain(
      'You are off duty in Eating Disorders. Your handover is saved for the next person on duty.',
    );
    const audit = await t
      .db('audit_log')
      .where({ actor_id: ids.user('peermod'), action: 'duty.end' })
      .orderBy('id', 'desc')
      .first();
    expect(audit.details).toMatchObject({ handover_note: 'yes', open_items: 3 });
  });

  it('the next person going on duty sees the last handover note and the open items', async () => {
    const started = await postForm(as('clinician'), `/subnets/${ed()}/duty/start`, {});
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`${handoverPage()}?duty=on`);
    const page = await as('clinician').get(String(started.headers.location));
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      'You are on duty in Eating Disorders. Alerts (watched words, and answers to PHQ-9 question 9) come to you live.',
    );
    expect(page.text).toMatch(
      /From <strong>Sam<\/strong> <span class="nhsuk-tag nhsuk-tag--blue sharon-badge">Peer moderator<\/span>, \d/,
    );
    expect(page.text).toContain(NOTE);
    expect(page.text).toContain('1 unacknowledged alert');
    expect(page.text).toContain('1 held message');
    expect(page.text).toContain('1 care-team conversation awaiting a reply');
    expect(page.text).toContain(`href="/subnets/${ed()}/care-team">Care-team messages</a>`);
    // Members never reach the page (it does not exist for them).
    expect((await as('anna').get(handoverPage())).status).toBe(404);
  });

  it('with no open items the handover note stays optional', async () => {
    await t
      .db('alerts')
      .where({ subnet_id: ed() })
      .whereNull('acknowledged_at')
      .update({ acknowledged_at: new Date(), acknowledged_by: ids.user('clinician') });
    await t.db('messages').where({ room_id: anorexia(), status: 'held' }).update({ status: 'visible' });
    await t.db('care_conversations').where({ subnet_id: ed() }).update({ awaiting_since: null });
    expect((await as('clinician').get(handoverPage())).text).toContain('Nothing is waiting');
    const ended = await postForm(as('clinician'), `/subnets/${ed()}/duty/end`, { note: '' });
    expect(ended.status).toBe(303);
    expect(await isOnDuty('clinician')).toBe(false);
  });
});
