import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, DEMO_PASSWORD, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport, makeUser } from '../helpers/factories.js';
import { nextStep, totpCode, totpCodeFor } from '../helpers/totp.js';

/**
 * Every state-changing form in the app, found in the router (every POST route), is submitted with
 * valid demo input as the person it is for, and followed to where it lands: a 200 page that says
 * what happened (an NHS notice, panel or success banner, or the thing just made), never an error
 * page. A POST route missing from CASES fails the first test, so a new form must be added here.
 */
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let routes: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  routes = postRoutes((t.app as unknown as Express).router.stack);
});
afterAll(async () => {
  await t.close();
});

function postRoutes(stack: unknown[]): string[] {
  const out: string[] = [];
  for (const layer of stack as {
    route?: { path: string | string[]; methods: Record<string, boolean> };
    handle?: { stack?: unknown[] };
  }[]) {
    if (layer.route?.methods.post) out.push(...[layer.route.path].flat());
    else if (layer.handle?.stack) out.push(...postRoutes(layer.handle.stack));
  }
  return [...new Set(out)];
}

type Res = request.Response;
/** What a case did: the agent that submitted the form and the answer it got. */
interface Submitted {
  agent: TestAgent;
  res: Res;
  /** Text the landing page shows as its confirmation, where that is the thing just made or opened. */
  shows?: string;
}
type Case = { submit: () => Promise<Submitted> } | { notAForm: string };

const ED = () => ids.subnet('eating-disorders');
const anorexia = () => ids.cohort('eating-disorders/anorexia');
const as = (username: string) => signIn(t.app, username);
const member = (nickname: string) =>
  makeUser(t.db, { nickname, subnetId: ED(), cohortId: anorexia(), privateReference: 'Record ED-9' });

/** Posts a form with a token from `from` (the page the form is on). */
async function post(agent: TestAgent, path: string, body: Record<string, string | string[]> = {}, from = '/') {
  const _csrf = await csrfFrom(agent, from);
  return {
    agent,
    res: await agent
      .post(path)
      .type('form')
      .send({ ...body, _csrf }),
  };
}
async function multipart(
  agent: TestAgent,
  path: string,
  fields: Record<string, string>,
  files: Record<string, { buffer: Buffer; name: string; type: string }> = {},
) {
  let req = agent.post(path).field('_csrf', await csrfFrom(agent, '/'));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const [k, f] of Object.entries(files)) req = req.attach(k, f.buffer, { filename: f.name, contentType: f.type });
  return { agent, res: await req };
}
const as$ = async (username: string, path: string, body: Record<string, string | string[]> = {}, from = '/') =>
  post(await as(username), path, body, from);

const media = (name: string) => readFileSync(new URL(`../../seeds/media/${name}`, import.meta.url));
const WEBM = { buffer: media('first-step-welcome.webm'), name: 'v.webm', type: 'video/webm' };
const PDF = {
  buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
  name: 'a.pdf',
  type: 'application/pdf',
};
const itemFields = () => ({
  title: `An item ${randomUUID().slice(0, 6)}`,
  summary: 'Short',
  body: 'Body',
  source: 'NHS',
  reviewedBy: ids.user('clinician'),
  reviewedOn: '2026-11-01',
  nextReviewOn: '2027-11-01',
  status: 'published',
});
const videoFields = () => ({
  title: `A video ${randomUUID().slice(0, 6)}`,
  description: '',
  transcript: '',
  status: 'published',
});

// Demo rows each case acts on, made fresh so that no case depends on another.
const message = async (status = 'visible') => {
  const author = await member(`Author ${randomUUID().slice(0, 4)}`);
  const id = await makeMessage(t.db, { roomId: ids.room('Anorexia living room'), authorId: author.id, body: 'hello' });
  if (status !== 'visible') await t.db('messages').where({ id }).update({ status });
  return id;
};
const thread = async (status = 'visible') => {
  const [{ id }] = await t
    .db('threads')
    .insert({
      room_id: ids.room('Anorexia noticeboard'),
      author_id: ids.user('anna'),
      title: 'A thread',
      body: 'x',
      status,
    })
    .returning('id');
  return id as string;
};
const reply = async (status = 'visible') => {
  const [{ id }] = await t
    .db('replies')
    .insert({ thread_id: await thread(), author_id: ids.user('anna'), body: 'y', status })
    .returning('id');
  return id as string;
};
/** A thread, or a reply, by a member made for the case (who may then be muted or suspended). */
const memberPost = async (kind: 'thread' | 'reply') => {
  const author = await member(`Poster ${randomUUID().slice(0, 4)}`);
  const [{ id }] = await t
    .db('threads')
    .insert({ room_id: ids.room('Anorexia noticeboard'), author_id: author.id, title: 'A thread', body: 'x' })
    .returning('id');
  if (kind === 'thread') return id as string;
  const [reply] = await t.db('replies').insert({ thread_id: id, author_id: author.id, body: 'y' }).returning('id');
  return reply.id as string;
};
const memberThread = () => memberPost('thread');
const memberReply = () => memberPost('reply');
const item = async () =>
  (
    await t
      .db('library_items')
      .where({ room_id: ids.room('Eating disorders library') })
      .first('id')
  ).id;
const video = async () => (await t.db('videos').first('id')).id;
const issueKey = async () => {
  const { res } = await as$('clinician', `/subnets/${ED()}/keys`, keyBody(), `/subnets/${ED()}/keys`);
  const code = /([0-9A-HJKMNP-TV-Z]{4}-){3}[0-9A-HJKMNP-TV-Z]{4}/.exec(res.text)?.[0] ?? '';
  const key = await t.db('invitation_keys').orderBy('created_at', 'desc').first('id');
  return { code, id: key.id as string };
};
const keyBody = () => ({ cohortId: anorexia(), role: 'patient', privateReference: 'Record ED-77', expiryDays: '14' });
const memberPage = (id: string) => `/subnets/${ED()}/members/${id}`;
const suspended = async () => {
  const m = await member(`Held ${randomUUID().slice(0, 4)}`);
  await t.db('users').where({ id: m.id }).update({ status: 'suspended' });
  return m;
};
const survey = async () => (await t.db('questionnaires').where({ slug: 'helpfulness' }).first('id')).id as string;
const surveyDue = async () => {
  const m = await member(`Asked ${randomUUID().slice(0, 4)}`);
  await t
    .db('memberships')
    .where({ user_id: m.id })
    .update({ started_at: new Date(Date.now() - 30 * 86_400_000) });
  return signIn(t.app, m.username);
};
const measureDue = async () => {
  await t
    .db('subnet_measures')
    .insert({ subnet_id: ED(), instrument_key: 'phq-9', first_after_days: 0, repeat_every_days: 28, active: true })
    .onConflict(['subnet_id', 'instrument_key'])
    .merge({ first_after_days: 0, active: true });
  return signIn(t.app, (await member(`Measured ${randomUUID().slice(0, 4)}`)).username);
};
const phq9Answers = () => ({
  subnet: ED(),
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`item-${i + 1}`, '1'])),
  'item-9': '0',
});
const exampleInstrument = () =>
  readFileSync(new URL('../../docs/measures/example-instrument.json', import.meta.url), 'utf8').replace(
    '"example-teacup"',
    `"example-${randomUUID().slice(0, 6)}"`,
  );
const twoSessions = async () => {
  const m = await member(`Two ${randomUUID().slice(0, 4)}`);
  const other = await signIn(t.app, m.username);
  const agent = await signIn(t.app, m.username);
  await other.get('/');
  return agent;
};

const CASES: Record<string, Case> = {
  '/login/two-factor': {
    submit: async () => {
      const agent = request.agent(t.app);
      const _csrf = await csrfFrom(agent, '/login');
      await agent.post('/login').type('form').send({ _csrf, username: 'peermod', password: DEMO_PASSWORD });
      nextStep();
      const r = await post(agent, '/login/two-factor', { code: await totpCode() }, '/login/two-factor');
      return { ...r, shows: 'Sign out' };
    },
  },
  '/session/keepalive': { notAForm: 'the session timeout warning calls it from script (204, no page)' },
  '/logout': { submit: async () => post(await signIn(t.app, (await member('Leaving')).username), '/logout') },
  '/subnets/:subnetId/keys': {
    submit: async () => ({ ...(await as$('clinician', `/subnets/${ED()}/keys`, keyBody())), shows: 'Key issued' }),
  },
  '/login': {
    submit: async () => {
      const { username } = await member('Arriving');
      return {
        ...(await post(request.agent(t.app), '/login', { username, password: DEMO_PASSWORD }, '/login')),
        shows: 'Sign out',
      };
    },
  },
  '/subnets/:subnetId/keys/:keyId/revoke': {
    submit: async () => as$('clinician', `/subnets/${ED()}/keys/${(await issueKey()).id}/revoke`),
  },
  '/join': {
    submit: async () => {
      const { code } = await issueKey();
      const agent = request.agent(t.app);
      const body = {
        key: code,
        username: `joiner${randomUUID().slice(0, 6)}`,
        nickname: 'Bright Lark',
        password: 'a long enough passphrase',
      };
      return post(agent, '/join', body, '/join');
    },
  },
  '/rooms/:roomId/messages': {
    submit: async () => ({
      ...(await as$('anna', `/rooms/${ids.room('Anorexia living room')}/messages`, {
        body: 'Posted without script',
        clientId: randomUUID(),
      })),
      shows: 'Posted without script',
    }),
  },
  '/messages/:messageId/report': {
    submit: async () => as$('anna', `/messages/${await message()}/report`, { reason: 'Unkind words' }),
  },
  '/rooms/:roomId/items': {
    submit: async () =>
      multipart(await as('clinician'), `/rooms/${ids.room('Eating disorders library')}/items`, itemFields(), {
        attachment: PDF,
      }),
  },
  '/library/items/:itemId': {
    submit: async () => multipart(await as('clinician'), `/library/items/${await item()}`, itemFields()),
  },
  '/library/items/:itemId/publish': { submit: async () => as$('clinician', `/library/items/${await item()}/publish`) },
  '/library/items/:itemId/unpublish': {
    submit: async () => as$('clinician', `/library/items/${await item()}/unpublish`),
  },
  '/admin/rooms/:roomId/items': {
    submit: async () =>
      multipart(await as('admin'), `/admin/rooms/${ids.room('Eating disorders library')}/items`, itemFields()),
  },
  '/admin/library/items/:itemId': {
    submit: async () => multipart(await as('admin'), `/admin/library/items/${await item()}`, itemFields()),
  },
  '/admin/library/items/:itemId/publish': {
    submit: async () => as$('admin', `/admin/library/items/${await item()}/publish`),
  },
  '/admin/library/items/:itemId/unpublish': {
    submit: async () => as$('admin', `/admin/library/items/${await item()}/unpublish`),
  },
  '/rooms/:roomId/videos': {
    submit: async () =>
      multipart(await as('clinician'), `/rooms/${ids.room('First Step television')}/videos`, videoFields(), {
        video: WEBM,
      }),
  },
  '/videos/:videoId': {
    submit: async () => multipart(await as('clinician'), `/videos/${await video()}`, videoFields()),
  },
  '/videos/:videoId/publish': { submit: async () => as$('clinician', `/videos/${await video()}/publish`) },
  '/videos/:videoId/unpublish': { submit: async () => as$('clinician', `/videos/${await video()}/unpublish`) },
  '/admin/rooms/:roomId/videos': {
    submit: async () =>
      multipart(await as('admin'), `/admin/rooms/${ids.room('First Step television')}/videos`, videoFields(), {
        video: WEBM,
      }),
  },
  '/admin/videos/:videoId': {
    submit: async () => multipart(await as('admin'), `/admin/videos/${await video()}`, videoFields()),
  },
  '/admin/videos/:videoId/publish': { submit: async () => as$('admin', `/admin/videos/${await video()}/publish`) },
  '/admin/videos/:videoId/unpublish': { submit: async () => as$('admin', `/admin/videos/${await video()}/unpublish`) },
  '/rooms/:roomId/threads': {
    submit: () =>
      as$('anna', `/rooms/${ids.room('Anorexia noticeboard')}/threads`, {
        title: 'Evenings',
        body: 'How do you cope?',
      }),
  },
  '/threads/:threadId/replies': {
    submit: async () => as$('anna', `/threads/${await thread()}/replies`, { body: 'Me too' }),
  },
  '/threads/:threadId/pin': { submit: async () => as$('clinician', `/threads/${await thread()}/pin`) },
  '/threads/:threadId/unpin': { submit: async () => as$('clinician', `/threads/${await thread()}/unpin`) },
  '/threads/:threadId/lock': { submit: async () => as$('clinician', `/threads/${await thread()}/lock`) },
  '/threads/:threadId/unlock': { submit: async () => as$('clinician', `/threads/${await thread()}/unlock`) },
  '/threads/:threadId/move': {
    submit: async () =>
      as$('clinician', `/threads/${await thread()}/move`, { roomId: ids.room('Eating disorders noticeboard') }),
  },
  '/threads/:threadId/remove': {
    submit: async () => as$('clinician', `/threads/${await thread()}/remove`, { reason: 'Off topic' }),
  },
  '/replies/:replyId/remove': {
    submit: async () => as$('clinician', `/replies/${await reply()}/remove`, { reason: 'Off topic' }),
  },
  '/moderation/threads/:threadId/approve': {
    submit: async () => as$('peermod', `/moderation/threads/${await thread('held')}/approve`),
  },
  '/moderation/threads/:threadId/decline': {
    submit: async () => as$('peermod', `/moderation/threads/${await thread('held')}/decline`),
  },
  '/moderation/replies/:replyId/approve': {
    submit: async () => as$('peermod', `/moderation/replies/${await reply('held')}/approve`),
  },
  '/moderation/replies/:replyId/decline': {
    submit: async () => as$('peermod', `/moderation/replies/${await reply('held')}/decline`),
  },
  '/moderation/threads/:threadId/remove': {
    submit: async () => as$('clinician', `/moderation/threads/${await thread()}/remove`, { reason: 'Unkind' }),
  },
  '/moderation/replies/:replyId/remove': {
    submit: async () => as$('clinician', `/moderation/replies/${await reply()}/remove`, { reason: 'Unkind' }),
  },
  '/moderation/threads/:threadId/mute': {
    submit: async () => as$('clinician', `/moderation/threads/${await memberThread()}/mute`, { minutes: '60' }),
  },
  '/moderation/replies/:replyId/mute': {
    submit: async () => as$('clinician', `/moderation/replies/${await memberReply()}/mute`, { minutes: '60' }),
  },
  '/moderation/threads/:threadId/suspend-author': {
    submit: async () =>
      as$('clinician', `/moderation/threads/${await memberThread()}/suspend-author`, { reason: 'Threats to others' }),
  },
  '/moderation/replies/:replyId/suspend-author': {
    submit: async () =>
      as$('clinician', `/moderation/replies/${await memberReply()}/suspend-author`, { reason: 'Threats to others' }),
  },
  '/threads/:threadId/report': {
    submit: async () =>
      as$('bella', `/threads/${await threadFor('Eating disorders noticeboard')}/report`, { reason: 'Unkind' }),
  },
  '/replies/:replyId/report': {
    submit: async () =>
      as$('bella', `/replies/${await replyFor('Eating disorders noticeboard')}/report`, { reason: 'Unkind' }),
  },
  '/care-team/conversations/:conversationId/messages': {
    submit: async () => {
      const agent = await as('anna');
      const mine = String((await agent.get(`/subnets/${ED()}/care-team/mine`)).headers.location);
      return post(agent, `${mine}/messages`, { body: 'Can we talk about next week?' }, mine);
    },
  },
  '/notifications/:id/open': {
    submit: async () => {
      const [{ id }] = await t
        .db('notifications')
        .insert({
          user_id: ids.user('anna'),
          kind: 'thread_reply',
          link: '/notifications',
          room_id: ids.room('Anorexia noticeboard'),
        })
        .returning('id');
      return { ...(await as$('anna', `/notifications/${id}/open`)), shows: 'Notifications' };
    },
  },
  '/subnets/:subnetId/questionnaires': {
    submit: () =>
      as$('clinician', `/subnets/${ED()}/questionnaires`, {
        title: 'After six weeks',
        firstAfterDays: '42',
        repeatEveryDays: '',
        'q1-text': 'I feel less alone',
        'q1-kind': 'likert',
        'q1-required': 'yes',
        action: 'save',
      }),
  },
  '/notifications/read-all': { submit: () => as$('anna', '/notifications/read-all') },
  '/subnets/:subnetId/duty/start': { submit: () => as$('clinician', `/subnets/${ED()}/duty/start`) },
  '/subnets/:subnetId/duty/end': {
    submit: () => as$('clinician', `/subnets/${ED()}/duty/end`, { note: 'Quiet shift' }),
  },
  '/surveys/:questionnaireId': {
    submit: async () =>
      post(await surveyDue(), `/surveys/${await survey()}`, { subnet: ED(), 'q-1': '5', 'q-2': 'It helped at night.' }),
  },
  '/surveys/:questionnaireId/later': {
    submit: async () => post(await surveyDue(), `/surveys/${await survey()}/later`, { subnet: ED() }),
  },
  '/surveys/:questionnaireId/decline': {
    submit: async () => post(await surveyDue(), `/surveys/${await survey()}/decline`, { subnet: ED() }),
  },
  '/measures/:key/answer': {
    submit: async () => post(await measureDue(), '/measures/phq-9/answer', phq9Answers()),
  },
  '/measures/:key/later': {
    submit: async () => post(await measureDue(), '/measures/phq-9/later', { subnet: ED() }),
  },
  '/measures/:key/decline': {
    submit: async () => post(await measureDue(), '/measures/phq-9/decline', { subnet: ED() }),
  },
  '/subnets/:subnetId/measures': {
    submit: () =>
      as$('clinician', `/subnets/${ED()}/measures`, { 'use-phq-9': 'yes', 'first-phq-9': '0', 'every-phq-9': '28' }),
  },
  '/admin/subnets/:subnetId/measures/instruments': {
    submit: async () =>
      multipart(await as('admin'), `/admin/subnets/${ED()}/measures/instruments`, { definition: exampleInstrument() }),
  },
  '/admin/subnets/:subnetId/measures/enabled': {
    submit: () => as$('admin', `/admin/subnets/${ED()}/measures/enabled`, {}),
  },
  '/account/password': {
    submit: async () =>
      post(await signIn(t.app, (await member('Changer')).username), '/account/password', {
        current: DEMO_PASSWORD,
        password: 'another long passphrase',
      }),
  },
  '/account/sessions/:handle/end': {
    submit: async () => {
      const agent = await twoSessions();
      const page = await agent.get('/account/sessions');
      const handle = /\/account\/sessions\/([0-9a-f]{16})\/end/.exec(page.text)?.[1];
      return post(agent, `/account/sessions/${handle}/end`);
    },
  },
  '/account/sessions/end-others': { submit: async () => post(await twoSessions(), '/account/sessions/end-others') },
  '/account/two-factor': {
    submit: async () => {
      const agent = await signIn(t.app, (await member('Careful')).username);
      const page = await agent.get('/account/two-factor');
      const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page.text)?.[1] ?? '';
      const r = await post(agent, '/account/two-factor', { current: DEMO_PASSWORD, code: await totpCodeFor(secret) });
      // It lands on the recovery codes, to be written down once.
      return {
        ...r,
        shows: /<li><code>[0-9A-F]{5}-[0-9A-F]{5}<\/code><\/li>/.exec(r.res.text)?.[0] ?? 'recovery codes',
      };
    },
  },
  '/moderation/reports/:reportId/dismiss': {
    submit: async () => {
      const reportId = await makeReport(t.db, {
        messageId: await message(),
        reporterId: ids.user('anna'),
        reason: 'r',
      });
      return as$('clinician', `/moderation/reports/${reportId}/dismiss`);
    },
  },
  '/moderation/alerts/:alertId/acknowledge': {
    submit: async () => {
      const [{ id }] = await t
        .db('alerts')
        .insert({ subnet_id: ED(), message_id: await message(), matched: 'w' })
        .returning('id');
      return as$('clinician', `/moderation/alerts/${id}/acknowledge`);
    },
  },
  '/moderation/messages/:messageId/remove': {
    submit: async () => as$('clinician', `/moderation/messages/${await message()}/remove`, { reason: 'Unkind' }),
  },
  '/moderation/messages/:messageId/mute': {
    submit: async () => as$('clinician', `/moderation/messages/${await message()}/mute`, { minutes: '60' }),
  },
  '/moderation/messages/:messageId/approve': {
    submit: async () => as$('peermod', `/moderation/messages/${await message('held')}/approve`),
  },
  '/moderation/messages/:messageId/decline': {
    submit: async () => as$('peermod', `/moderation/messages/${await message('held')}/decline`),
  },
  '/moderation/messages/:messageId/suspend-author': {
    submit: async () =>
      as$('clinician', `/moderation/messages/${await message()}/suspend-author`, {
        reason: 'Threats to other members',
      }),
  },
  '/subnets/:subnetId/watched-words': {
    submit: () =>
      as$('clinician', `/subnets/${ED()}/watched-words`, {
        kind: 'phrase',
        phrase: 'skip dinner',
        action: 'alert',
        roomId: '',
      }),
  },
  '/subnets/:subnetId/watched-words/:ruleId/delete': {
    submit: async () => {
      await as$('clinician', `/subnets/${ED()}/watched-words`, {
        kind: 'phrase',
        phrase: 'gone soon',
        action: 'alert',
        roomId: '',
      });
      const rule = await t.db('watched_words').where({ subnet_id: ED(), pattern: 'gone soon' }).first('id');
      return as$('clinician', `/subnets/${ED()}/watched-words/${rule.id}/delete`);
    },
  },
  '/subnets/:subnetId/watched-words/baseline/:rule/switch-off': {
    submit: () =>
      as$('clinician', `/subnets/${ED()}/watched-words/baseline/link/switch-off`, {
        reason: 'Members share NHS links',
      }),
  },
  '/subnets/:subnetId/watched-words/baseline/:rule/switch-on': {
    submit: () => as$('clinician', `/subnets/${ED()}/watched-words/baseline/link/switch-on`),
  },
  '/subnets/:subnetId/members/:userId/cohort': {
    submit: async () =>
      as$('clinician', `${memberPage((await member('Mover')).id)}/cohort`, {
        cohortId: ids.cohort('eating-disorders/bulimia'),
      }),
  },
  '/subnets/:subnetId/members/:userId/suspend': {
    submit: async () =>
      as$('clinician', `${memberPage((await member('Paused')).id)}/suspend`, { reason: 'Safeguarding review agreed' }),
  },
  '/subnets/:subnetId/members/:userId/reinstate': {
    submit: async () => as$('clinician', `${memberPage((await suspended()).id)}/reinstate`),
  },
  '/subnets/:subnetId/members/:userId/reveal': {
    submit: async () => ({
      ...(await as$('clinician', `${memberPage((await member('Known')).id)}/reveal`, {
        reason: 'Safeguarding referral needs it',
      })),
      shows: 'Record ED-9',
    }),
  },
  '/subnets/:subnetId/members/:userId/measures.fhir.json': {
    notAForm:
      'answers the FHIR Bundle as a download; its error path re-renders the member page, tested in test/measures/fhir-export.test.ts',
  },
  '/subnets/:subnetId/members/:userId/care-events': {
    submit: async () =>
      as$('clinician', `${memberPage((await member('Cared')).id)}/care-events`, {
        kind: 'admission',
        occurredOn: '2026-11-20',
      }),
  },
  '/subnets/:subnetId/members/:userId/pathway': {
    submit: async () =>
      as$('clinician', `${memberPage((await member('Onward')).id)}/pathway`, {
        destination: `${ids.subnet('first-step')}:${
          (
            await t
              .db('cohorts')
              .where({ subnet_id: ids.subnet('first-step') })
              .first('id')
          ).id
        }`,
        leaveOn: '',
      }),
  },
  '/admin/subnets': {
    submit: () =>
      as$('admin', '/admin/subnets', {
        name: 'Psychosis',
        slug: `psychosis-${randomUUID().slice(0, 4)}`,
        description: '',
        crisisContacts: 'Call 111',
        serviceHours: '',
      }),
  },
  '/admin/subnets/:subnetId': {
    submit: () =>
      as$('admin', `/admin/subnets/${ids.subnet('first-step')}`, {
        name: 'First Step',
        slug: 'first-step',
        description: 'Starting out',
        crisisContacts: 'Call 111',
        serviceHours: '',
      }),
  },
  '/admin/subnets/:subnetId/cohorts': {
    submit: () => as$('admin', `/admin/subnets/${ids.subnet('first-step')}/cohorts`, { name: 'Young adults' }),
  },
  '/admin/cohorts/:cohortId': {
    submit: () => as$('admin', `/admin/cohorts/${ids.cohort('eating-disorders/recovered')}`, { name: 'Recovered' }),
  },
  '/admin/subnets/:subnetId/rooms': {
    submit: () =>
      as$('admin', `/admin/subnets/${ED()}/rooms`, {
        name: 'Evening room',
        description: '',
        kind: 'living_room',
        audience: [anorexia()],
      }),
  },
  '/admin/rooms/:roomId': {
    submit: () =>
      as$('admin', `/admin/rooms/${ids.room('Recovered members room')}`, {
        name: 'Recovered members room',
        description: '',
        kind: 'living_room',
        audience: [ids.cohort('eating-disorders/recovered')],
      }),
  },
  '/admin/staff': {
    submit: () =>
      as$('admin', '/admin/staff', {
        username: `staff${randomUUID().slice(0, 6)}`,
        displayName: 'Dr New',
        nickname: `Kestrel ${randomUUID().slice(0, 4)}`,
        role: 'clinician',
        password: 'a long enough passphrase',
        subnetIds: [ED()],
      }),
  },
  '/admin/staff/:userId/subnets': {
    submit: () => as$('admin', `/admin/staff/${ids.user('peermod')}/subnets`, { subnetIds: [ED()] }),
  },
  '/admin/staff/:userId/work-email': {
    submit: async () => {
      const staff = await makeUser(t.db, { role: 'clinician', subnetId: ED() });
      return as$('admin', `/admin/staff/${staff.id}/work-email`, { workEmail: `${staff.username}@nhs.net` });
    },
  },
  '/admin/accounts/:userId/suspend': {
    submit: async () =>
      as$('admin', `/admin/accounts/${(await member('Stopped')).id}/suspend`, { reason: 'Agreed with the service' }),
  },
  '/admin/accounts/:userId/reinstate': {
    submit: async () => as$('admin', `/admin/accounts/${(await suspended()).id}/reinstate`),
  },
  '/admin/accounts/:userId/make-peer-moderator': {
    submit: async () =>
      as$('admin', `/admin/accounts/${(await member('Helper')).id}/make-peer-moderator`, {
        reason: 'Recovered, trained as a peer',
      }),
  },
  '/admin/accounts/:userId/end-sessions': {
    submit: async () => as$('admin', `/admin/accounts/${(await member('Ended')).id}/end-sessions`),
  },
  '/admin/accounts/:userId/erase': {
    submit: async () => as$('admin', `/admin/accounts/${(await member('Erased')).id}/erase`),
  },
};

async function threadFor(room: string) {
  const [{ id }] = await t
    .db('threads')
    .insert({ room_id: ids.room(room), author_id: ids.user('anna'), title: 'A thread', body: 'x' })
    .returning('id');
  return id as string;
}
async function replyFor(room: string) {
  const [{ id }] = await t
    .db('replies')
    .insert({ thread_id: await threadFor(room), author_id: ids.user('anna'), body: 'y' })
    .returning('id');
  return id as string;
}

/** A page that says what happened: the notice partial, an NHS panel or a success banner. */
const CONFIRMATION =
  /<div class="nhsuk-inset-text" role="status">|class="nhsuk-panel|nhsuk-notification-banner--success/;

/** Follows redirects (at most 3) to the page the person lands on. */
async function land(agent: TestAgent, res: Res): Promise<{ url: string; res: Res }> {
  let url = '(the answer to the POST)';
  for (let hops = 0; hops < 3 && res.status >= 300 && res.status < 400; hops++) {
    url = String(res.headers.location);
    res = await agent.get(url);
  }
  return { url, res };
}

describe('every state-changing form lands on a page that says what happened', () => {
  it('every POST route in the router has a case here (add new forms to CASES)', () => {
    expect(routes.length).toBeGreaterThan(60);
    expect(routes.filter((r) => !(r in CASES))).toEqual([]);
    expect(Object.keys(CASES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  for (const [route, c] of Object.entries(CASES)) {
    if ('notAForm' in c) continue;
    it(`POST ${route} lands on a 200 page with a confirmation`, async () => {
      const { agent, res, shows } = await c.submit();
      const landed = await land(agent, res);
      const where = `${route} -> ${landed.url} (${landed.res.status})`;
      expect(where).toBe(`${route} -> ${landed.url} (200)`);
      expect(landed.res.text).not.toContain('There is a problem with the request');
      const confirmed = shows ? landed.res.text.includes(shows) : CONFIRMATION.test(landed.res.text);
      expect(confirmed, `${where} says what happened`).toBe(true);
    });
  }
});
