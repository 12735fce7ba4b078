import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

// Erasure against the whole database: a member writes a unique marker everywhere a member can
// write, through the real forms; an admin erases them; then every text, varchar, json and jsonb
// column of every table is searched for the marker. `keep` and `remove` run against the same
// database through two apps (ERASURE_CONTENT differs).
let keepApp: TestApp;
let removeApp: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let questionnaireId = '';
const ed = () => ids.subnet('eating-disorders');

beforeAll(async () => {
  keepApp = await startTestApp({ ERASURE_CONTENT: 'keep' });
  removeApp = await startTestApp({ ERASURE_CONTENT: 'remove' }, keepApp.database);
  ids = await demoIds(keepApp.db);
  const clinician = await signIn(keepApp.app, 'clinician');
  const list = `/subnets/${ed()}/questionnaires`;
  const made = await postForm(
    clinician,
    list,
    {
      title: 'After group',
      firstAfterDays: '0',
      repeatEveryDays: '',
      'q1-text': 'The group helped me',
      'q1-kind': 'likert',
      'q2-text': 'What would make evenings easier?',
      'q2-kind': 'free_text',
    },
    list,
  );
  expect(made.status).toBe(303);
  questionnaireId = /questionnaires\/([0-9a-f-]{36})/.exec(String(made.headers.location))?.[1] ?? '';
});
afterAll(async () => {
  await removeApp.close();
  await keepApp.close();
});

/** A member of the anorexia group whose username, nickname, display name and private reference carry the marker. */
async function newMember(t: TestApp, marker: string): Promise<{ id: string; username: string }> {
  const user = await makeUser(t.db, {
    username: `u${marker}`.toLowerCase(),
    nickname: `Nick ${marker}`,
    subnetId: ed(),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    privateReference: `Ref ${marker}`,
  });
  await t
    .db('users')
    .where({ id: user.id })
    .update({ display_name: `Real ${marker}` });
  return user;
}

/** Writes the marker, through the real forms, everywhere a member can write. */
async function writeEverywhere(t: TestApp, member: TestAgent, marker: string): Promise<void> {
  const living = ids.room('Anorexia living room');
  const sent = await postForm(
    member,
    `/rooms/${living}/messages`,
    { body: `chat ${marker}`, clientId: randomUUID() },
    `/rooms/${living}`,
  );
  expect(sent.status).toBe(303);
  const board = ids.room('Eating disorders noticeboard');
  const thread = await postForm(
    member,
    `/rooms/${board}/threads`,
    { title: `Title ${marker}`, body: `thread ${marker}` },
    `/rooms/${board}`,
  );
  expect(thread.status).toBe(303);
  const threadId = String(thread.headers.location).split('?')[0]?.split('/').pop() ?? '';
  expect(
    (await postForm(member, `/threads/${threadId}/replies`, { body: `reply ${marker}` }, `/threads/${threadId}`))
      .status,
  ).toBe(303);
  expect(
    (
      await postForm(
        member,
        `/threads/${threadId}/report`,
        { reason: `post report ${marker}` },
        `/threads/${threadId}/report`,
      )
    ).status,
  ).toBe(303);
  const [other] = await t
    .db('messages')
    .insert({ room_id: living, author_id: ids.user('anna'), client_id: randomUUID(), body: 'something to report' })
    .returning('id');
  expect(
    (
      await postForm(
        member,
        `/messages/${other.id}/report`,
        { reason: `chat report ${marker}` },
        `/messages/${other.id}/report`,
      )
    ).status,
  ).toBe(303);
  const open = await member.get(`/subnets/${ed()}/care-team/mine`);
  const care = `/care-team/conversations/${String(open.headers.location).split('/').pop()}`;
  expect((await postForm(member, `${care}/messages`, { body: `care ${marker}` }, care)).status).toBe(303);
  const survey = `/surveys/${questionnaireId}?subnet=${ed()}`;
  expect(
    (
      await postForm(
        member,
        `/surveys/${questionnaireId}`,
        { subnet: ed(), 'q-1': '4', 'q-2': `survey ${marker}` },
        survey,
      )
    ).status,
  ).toBe(303);
}

/** Two-factor turned on (secret and recovery codes), and a failed sign-in that the throttle counts under the username. */
async function addSecretsAndThrottle(t: TestApp, user: { id: string; username: string }): Promise<void> {
  await t.db('users').where({ id: user.id }).update({ totp_secret: 'JBSWY3DPEHPK3PXP', totp_enabled_at: new Date() });
  await t.db('recovery_codes').insert([
    { user_id: user.id, code_hash: 'a'.repeat(64) },
    { user_id: user.id, code_hash: 'b'.repeat(64) },
  ]);
  const agent = request.agent(t.app);
  const _csrf = await csrfFrom(agent, '/login');
  expect(
    (
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf, username: user.username, password: 'not the right password' })
    ).status,
  ).toBe(401);
  expect(await t.db('rate_limits').whereRaw('strpos(key, ?) > 0', [user.username]).count({ n: '*' }).first()).toEqual({
    n: 2,
  });
}

/** Every `table.column` (text, varchar, char, json, jsonb, text[]) that holds the marker anywhere, case-insensitively. */
async function columnsHolding(t: TestApp, marker: string): Promise<string[]> {
  const columns: { table_name: string; column_name: string }[] = await t
    .db('information_schema.columns as c')
    .join('information_schema.tables as t', function () {
      this.on('t.table_name', 'c.table_name').andOn('t.table_schema', 'c.table_schema');
    })
    .where({ 'c.table_schema': 'public', 't.table_type': 'BASE TABLE' })
    .where((q) =>
      q
        .whereIn('c.data_type', ['text', 'character varying', 'character', 'json', 'jsonb'])
        .orWhere('c.udt_name', '_text')
        .orWhere('c.udt_name', '_varchar'),
    )
    .select('c.table_name', 'c.column_name');
  expect(columns.length).toBeGreaterThan(50);
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const row = await t
      .db(table)
      .whereRaw('strpos(lower(??::text), lower(?)) > 0', [column, marker])
      .first(t.db.raw('1 as hit'));
    if (row) hits.push(`${table}.${column}`);
  }
  return hits.sort();
}

const CONTENT = ['care_messages.body', 'messages.body', 'replies.body', 'threads.body', 'threads.title'];

describe('erasure removes what README promises', () => {
  it('with ERASURE_CONTENT=remove no text the member wrote survives in any column of any table', async () => {
    const marker = `Qx${randomBytes(5).toString('hex')}`;
    const user = await newMember(removeApp, marker);
    await writeEverywhere(removeApp, await signIn(removeApp.app, user.username), marker);
    await addSecretsAndThrottle(removeApp, user);
    // Planted in every place. The nickname's skeleton is a transformed copy that holds the marker
    // only for some markers (look-alike letters and digits change): it is checked by value below.
    const personal = [
      'memberships.private_reference',
      'rate_limits.key',
      'reports.reason',
      'survey_answers.text',
      'users.display_name',
      'users.nickname',
      'users.username',
    ];
    const planted = (await columnsHolding(removeApp, marker)).filter((c) => c !== 'users.nickname_skeleton');
    expect(planted).toEqual([...CONTENT, ...personal].sort());

    const admin = await signIn(removeApp.app, 'admin');
    expect((await admin.get(`/admin/accounts/${user.id}/erase`)).text).toContain(
      'The text of their messages, noticeboard posts and care-team messages is removed.',
    );
    expect((await postForm(admin, `/admin/accounts/${user.id}/erase`, {}, '/admin/accounts')).status).toBe(303);

    expect(await columnsHolding(removeApp, marker)).toEqual([]);
    const row = await removeApp.db('users').where({ id: user.id }).first();
    expect(row).toMatchObject({
      status: 'erased',
      nickname_skeleton: null,
      totp_secret: null,
      totp_enabled_at: null,
      password_hash: null,
      display_name: null,
    });
    expect(await removeApp.db('recovery_codes').where({ user_id: user.id }).first()).toBeUndefined();
    for (const table of ['messages', 'threads', 'replies']) {
      expect(
        await removeApp.db(table).where({ author_id: user.id }).whereNot('status', 'removed').first(),
        table,
      ).toBeUndefined();
    }
    expect(
      await removeApp.db('audit_log').where({ action: 'account.erase', target_id: user.id }).first(),
    ).toMatchObject({ details: { content: 'remove' } });
  });

  it('with ERASURE_CONTENT=keep what they wrote stays as "Former member"; survey text, report reasons, two-factor secrets, recovery codes and sign-in throttling go', async () => {
    const marker = `Qk${randomBytes(5).toString('hex')}`;
    const user = await newMember(keepApp, marker);
    await writeEverywhere(keepApp, await signIn(keepApp.app, user.username), marker);
    await addSecretsAndThrottle(keepApp, user);

    const admin = await signIn(keepApp.app, 'admin');
    const confirm = await admin.get(`/admin/accounts/${user.id}/erase`);
    expect(confirm.text).toContain(
      'two-factor secret and recovery codes, notifications, written survey answers and the reasons they gave in reports are removed',
    );
    expect(confirm.text).toContain(
      'Their messages, noticeboard posts and care-team messages stay, shown as written by a &#34;Former member&#34;.',
    );
    expect((await postForm(admin, `/admin/accounts/${user.id}/erase`, {}, '/admin/accounts')).status).toBe(303);

    expect(await columnsHolding(keepApp, marker)).toEqual(CONTENT);
    expect(await keepApp.db('users').where({ id: user.id }).first()).toMatchObject({
      nickname_skeleton: null,
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    expect(await keepApp.db('recovery_codes').where({ user_id: user.id }).first()).toBeUndefined();
    const page = await (await signIn(keepApp.app, 'anna')).get(`/rooms/${ids.room('Anorexia living room')}`);
    expect(page.text).toContain(`chat ${marker}`);
    expect(page.text).toMatch(/Former member [0-9a-f]{8}/);
  });
});

describe('download my data comes from the same registry', () => {
  it('holds what the member wrote in every place, the reports they made and mutes on them, and no private reference or secret', async () => {
    const marker = `Qd${randomBytes(5).toString('hex')}`;
    const user = await newMember(keepApp, marker);
    const member = await signIn(keepApp.app, user.username);
    await writeEverywhere(keepApp, member, marker);
    await keepApp.db('mutes').insert({
      room_id: ids.room('Anorexia living room'),
      user_id: user.id,
      muted_by: ids.user('peermod'),
      until: new Date(Date.now() + 60_000),
    });
    await keepApp.db('users').where({ id: user.id }).update({ totp_secret: 'JBSWY3DPEHPK3PXP' });
    const res = await member.get('/account/data.json');
    expect(res.status).toBe(200);
    const data = JSON.parse(res.text);
    expect(Object.keys(data)).toEqual([
      'exportedAt',
      'profile',
      'memberships',
      'livingRoomMessages',
      'roomVisits',
      'noticeboardThreads',
      'noticeboardReplies',
      'careTeamMessages',
      'surveyAnswers',
      'outcomeMeasures',
      'reportsMade',
      'mutes',
    ]);
    for (const words of [
      `u${marker}`.toLowerCase(),
      `Nick ${marker}`,
      `chat ${marker}`,
      `Title ${marker}`,
      `thread ${marker}`,
      `reply ${marker}`,
      `care ${marker}`,
      `survey ${marker}`,
      `post report ${marker}`,
      `chat report ${marker}`,
    ]) {
      expect(res.text, words).toContain(words);
    }
    expect(data.mutes).toHaveLength(1);
    expect(res.text).not.toContain(`Ref ${marker}`);
    expect(res.text).not.toContain('JBSWY3DPEHPK3PXP');
    expect(res.text).not.toContain('password');
  });
});
