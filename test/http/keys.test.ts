import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { csrfFrom, postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';

// As the page shows it: EJS escapes the apostrophe.
const TOO_CLOSE = 'That nickname is too close to someone else&#39;s. Choose another.';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

const keysUrl = () => `/subnets/${ids.subnet('eating-disorders')}/keys`;

async function issue(body: Record<string, string> = {}) {
  const clinician = await signIn(t.app, 'clinician');
  const res = await postForm(
    clinician,
    keysUrl(),
    {
      cohortId: ids.cohort('eating-disorders/anorexia'),
      role: 'patient',
      privateReference: 'Jane Example, NHS 999 000 0001',
      expiryDays: '14',
      ...body,
    },
    keysUrl(),
  );
  const code = /id="key-code">([A-Z0-9-]+)</.exec(res.text)?.[1];
  return { res, code, clinician };
}

async function redeem(body: Record<string, string>) {
  const agent = request.agent(t.app);
  const _csrf = await csrfFrom(agent, '/join');
  const res = await agent
    .post('/join')
    .type('form')
    .send({ _csrf, ...body });
  return { res, agent };
}

describe('issuing keys', () => {
  it('a clinician issues a key once: the code and a link carrying it are shown, only a hash is stored', async () => {
    const { res, code } = await issue();
    expect(res.status).toBe(200);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(res.text).toContain(`/join?key=${code}`);
    const stored = await t.db('invitation_keys').orderBy('created_at', 'desc').first();
    expect(JSON.stringify(stored)).not.toContain(String(code).replace(/-/g, ''));
    expect(stored.expires_at.getTime() - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    const audit = await t.db('audit_log').where({ action: 'key.issue', target_id: stored.id }).first();
    expect(audit.actor_id).toBe(ids.user('clinician'));
  });

  it('the key list never shows the private reference', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const page = await clinician.get(keysUrl());
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Jane Example');
  });

  it('a cohort of another subnet is refused with a clear error and nothing is stored', async () => {
    const before = await t.db('invitation_keys').count('* as n').first();
    const { res } = await issue({ cohortId: ids.cohort('ed-carers/carers') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose a group of this service');
    expect(res.text).toContain('Jane Example'); // input kept
    expect((await t.db('invitation_keys').count('* as n').first())?.n).toBe(before?.n);
  });

  it('bad expiry input re-renders with the error beside the field', async () => {
    const { res } = await issue({ expiryDays: '500' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('A key can last at most 90 days');
  });

  for (const user of ['peermod', 'anna', 'bella', 'carer', 'admin']) {
    it(`${user} cannot see or use the Eating Disorders key pages (404)`, async () => {
      const agent = await signIn(t.app, user);
      expect((await agent.get(keysUrl())).status).toBe(404);
      const post = await postForm(agent, keysUrl(), {
        cohortId: ids.cohort('eating-disorders/anorexia'),
        role: 'patient',
        expiryDays: '14',
      });
      expect(post.status).toBe(404);
    });
  }
});

describe('entering with a key', () => {
  it('a new person redeems a key, chooses a private username and public nickname, and lands in their rooms', async () => {
    const { code } = await issue();
    const { res, agent } = await redeem({
      key: String(code).toLowerCase(),
      username: 'newperson',
      nickname: 'Quiet Fern',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(303);
    const lobby = await agent.get('/');
    expect(lobby.text).toContain('Anorexia living room');
    expect(lobby.text).not.toContain('Bulimia living room');
    expect(lobby.text).toContain('Signed in as Quiet Fern');
    const user = await t.db('users').where({ username: 'newperson' }).first();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('a key works only once', async () => {
    const { code } = await issue();
    expect(
      (
        await redeem({
          key: String(code),
          username: 'firstuse',
          nickname: 'First Use',
          password: 'a long enough passphrase',
        })
      ).res.status,
    ).toBe(303);
    const again = await redeem({
      key: String(code),
      username: 'seconduse',
      nickname: 'Second Use',
      password: 'a long enough passphrase',
    });
    expect(again.res.status).toBe(400);
    expect(again.res.text).toContain('This key cannot be used');
    expect(await t.db('users').where({ username: 'seconduse' }).first()).toBeUndefined();
  });

  it('a revoked key and an expired key cannot be used', async () => {
    const { code, clinician } = await issue();
    const key = await t.db('invitation_keys').orderBy('created_at', 'desc').first();
    const revoke = await postForm(clinician, `${keysUrl()}/${key.id}/revoke`, {}, keysUrl());
    expect(revoke.status).toBe(303);
    expect(
      (
        await redeem({
          key: String(code),
          username: 'revokeduser',
          nickname: 'Revoked One',
          password: 'a long enough passphrase',
        })
      ).res.text,
    ).toContain('This key cannot be used');
    const second = await issue();
    await t
      .db('invitation_keys')
      .whereNull('revoked_at')
      .whereNull('redeemed_at')
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect(
      (
        await redeem({
          key: String(second.code),
          username: 'expireduser',
          nickname: 'Expired One',
          password: 'a long enough passphrase',
        })
      ).res.text,
    ).toContain('This key cannot be used');
  });

  it.each([
    ['an email address', 'me@example.com', 'looks like an email address'],
    ['a phone number', 'call 07700 900123', 'looks like a phone number'],
    ['a web address', 'www.mysite.com', 'looks like a web address'],
    ['a staff title', 'Moderator Kim', 'must not look like a staff title'],
    ['a staff title in disguise', 'Adm1n', 'must not look like a staff title'],
    ['a zero-width character', 'Fern\u200bLeaf', 'can only use letters'],
    ['a direction override', 'Fern\u202eLeaf', 'can only use letters'],
  ])('a nickname with %s is refused with a kind explanation', async (_what, nickname, message) => {
    const { code } = await issue();
    const { res } = await redeem({
      key: String(code),
      username: `nick${Math.random().toString(36).slice(2, 8)}`,
      nickname,
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain('There is a problem');
  });

  it('a member cannot take a nickname that looks like a staff title, however it is disguised', async () => {
    for (const nickname of ['Clinician Jo', 'NHS helper', 'M0der4tor', 'A d m i n']) {
      const { code } = await issue();
      const { res } = await redeem({
        key: String(code),
        username: `staffish${Math.random().toString(36).slice(2, 8)}`,
        nickname,
        password: 'a long enough passphrase',
      });
      expect(`${nickname}: ${res.status}`).toBe(`${nickname}: 400`);
      expect(res.text).toContain('must not look like a staff title');
    }
  });

  it('a nickname someone already has is taken', async () => {
    const { code } = await issue();
    const { res } = await redeem({
      key: String(code),
      username: 'copycat',
      nickname: 'Willow',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('That nickname is taken');
  });

  // anna is Willow; the peer moderator is Sam.
  it.each(['WiIlow', 'Wi11ow', 'Sàm', 'wILLOW', 'WILLOW', 'Wíllow', '5am'])(
    "a nickname too close to someone else's, %s, is refused and what was typed is kept",
    async (nickname) => {
      const { code } = await issue();
      const username = `lookalike${Math.random().toString(36).slice(2, 8)}`;
      const { res } = await redeem({ key: String(code), username, nickname, password: 'a long enough passphrase' });
      expect(res.status).toBe(400);
      expect(res.text).toContain('There is a problem');
      expect(res.text).toContain(TOO_CLOSE);
      expect(res.text).toContain(`name="nickname" type="text" value="${nickname}"`);
      expect(res.text).toContain(`value="${username}"`);
      expect(await t.db('users').where({ username }).first()).toBeUndefined();
    },
  );

  it('a genuinely different nickname is accepted and its skeleton stored', async () => {
    const { code } = await issue();
    const { res } = await redeem({
      key: String(code),
      username: 'newwilla',
      nickname: 'Willa',
      password: 'a long enough passphrase',
    });
    expect(res.status).toBe(303);
    expect((await t.db('users').where({ username: 'newwilla' }).first()).nickname_skeleton).toBe(
      nicknameSkeleton('Willa'),
    );
  });

  it('two people taking look-alike nicknames at the same instant: one gets it, the other is told it is too close', async () => {
    const join = async (code: string | undefined, username: string, nickname: string) => {
      const agent = request.agent(t.app);
      const _csrf = await csrfFrom(agent, '/join');
      return () =>
        agent
          .post('/join')
          .type('form')
          .send({ _csrf, key: String(code), username, nickname, password: 'a long enough passphrase' });
    };
    const sends = [
      await join((await issue()).code, 'maple1', 'Maple Leaf'),
      await join((await issue()).code, 'maple2', 'Map1e Leaf'),
    ];
    const results = await Promise.all(sends.map((send) => send()));
    expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
    expect(results.find((r) => r.status === 400)?.text).toContain(TOO_CLOSE);
    expect(Number((await t.db('users').whereIn('username', ['maple1', 'maple2']).count('* as n').first())?.n)).toBe(1);
  });

  it('the database refuses a look-alike nickname written past the form', async () => {
    const hash = (await t.db('users').where({ username: 'anna' }).first()).password_hash;
    const write = t.db('users').insert({
      username: 'sidedoor',
      nickname: 'Wi11ow',
      nickname_skeleton: nicknameSkeleton('Wi11ow'),
      role: 'patient',
      password_hash: hash,
    });
    await expect(write).rejects.toMatchObject({ code: '23505', constraint: 'users_nickname_skeleton_idx' });
  });

  it('once a member is erased, a look-alike of their old nickname can be chosen', async () => {
    const { code } = await issue();
    expect(
      (
        await redeem({
          key: String(code),
          username: 'leaving1',
          nickname: 'Linden',
          password: 'a long enough passphrase',
        })
      ).res.status,
    ).toBe(303);
    const before = await redeem({
      key: String((await issue()).code),
      username: 'arriving1',
      nickname: 'L1nden',
      password: 'a long enough passphrase',
    });
    expect(before.res.text).toContain(TOO_CLOSE);
    const admin = await signIn(t.app, 'admin');
    const { id } = await t.db('users').where({ username: 'leaving1' }).first();
    expect((await postForm(admin, `/admin/accounts/${id}/erase`, {}, '/admin/accounts')).status).toBe(303);
    expect(await t.db('users').where({ id }).first()).toMatchObject({ status: 'erased', nickname_skeleton: null });
    const after = await redeem({
      key: String((await issue()).code),
      username: 'arriving2',
      nickname: 'L1nden',
      password: 'a long enough passphrase',
    });
    expect(after.res.status).toBe(303);
  });

  it('a short password and a password over 128 characters are refused before anything is stored', async () => {
    const { code } = await issue();
    const short = await redeem({ key: String(code), username: 'shortpw', nickname: 'Short Pw', password: 'short' });
    expect(short.res.text).toContain('at least 10 characters');
    const long = await redeem({
      key: String(code),
      username: 'longpw',
      nickname: 'Long Pw',
      password: 'x'.repeat(129),
    });
    expect(long.res.text).toContain('128 characters or fewer');
    expect(await t.db('users').whereIn('username', ['shortpw', 'longpw']).first()).toBeUndefined();
  });
});

describe('members and private references', () => {
  const memberUrl = (u: string) => `/subnets/${ids.subnet('eating-disorders')}/members/${ids.user(u)}`;

  it('the clinician sees members with cohort and last seen; peermod and members get 404', async () => {
    const list = await (await signIn(t.app, 'clinician')).get(`/subnets/${ids.subnet('eating-disorders')}/members`);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Willow');
    expect(list.text).toContain('Anorexia');
    for (const u of ['peermod', 'anna', 'admin'])
      expect((await (await signIn(t.app, u)).get(`/subnets/${ids.subnet('eating-disorders')}/members`)).status).toBe(
        404,
      );
  });

  it('revealing a private reference asks for a reason and audits it; peermod cannot', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const noReason = await postForm(clinician, `${memberUrl('anna')}/reveal`, { reason: '' }, memberUrl('anna'));
    expect(noReason.status).toBe(400);
    expect(noReason.text).not.toContain('Demo record ED-0001');
    const res = await postForm(
      clinician,
      `${memberUrl('anna')}/reveal`,
      { reason: 'Safeguarding concern raised overnight' },
      memberUrl('anna'),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Demo record ED-0001');
    const audit = await t
      .db('audit_log')
      .where({ action: 'member.reveal_reference', target_id: ids.user('anna') })
      .first();
    expect(audit.details.reason).toBe('Safeguarding concern raised overnight');
    const peermod = await signIn(t.app, 'peermod');
    expect(
      (await postForm(peermod, `${memberUrl('anna')}/reveal`, { reason: 'Just curious about this one' })).status,
    ).toBe(404);
  });

  it('moving anna to the bulimia cohort changes her rooms at once', async () => {
    const anna = await signIn(t.app, 'anna');
    expect((await anna.get(`/rooms/${ids.room('Anorexia living room')}`)).status).toBe(200);
    const clinician = await signIn(t.app, 'clinician');
    const moved = await postForm(
      clinician,
      `${memberUrl('anna')}/cohort`,
      { cohortId: ids.cohort('eating-disorders/bulimia') },
      memberUrl('anna'),
    );
    expect(moved.status).toBe(303);
    expect((await anna.get(`/rooms/${ids.room('Anorexia living room')}`)).status).toBe(404);
    expect((await anna.get(`/rooms/${ids.room('Bulimia living room')}`)).status).toBe(200);
    await postForm(
      clinician,
      `${memberUrl('anna')}/cohort`,
      { cohortId: ids.cohort('eating-disorders/anorexia') },
      memberUrl('anna'),
    );
  });

  it('a clinician suspends a member: their sessions are deleted; the clinician cannot act on the carer of another service', async () => {
    const bella = await signIn(t.app, 'bella');
    const clinician = await signIn(t.app, 'clinician');
    const res = await postForm(
      clinician,
      `${memberUrl('bella')}/suspend`,
      { reason: 'Testing suspension by a clinician' },
      memberUrl('bella'),
    );
    expect(res.status).toBe(303);
    expect(
      await t
        .db('session')
        .whereRaw("sess->'passport'->>'user' = ?", [ids.user('bella')])
        .first(),
    ).toBeUndefined();
    expect((await bella.get('/')).status).toBe(303);
    await postForm(clinician, `${memberUrl('bella')}/reinstate`, {}, memberUrl('bella'));
    expect((await t.db('users').where({ username: 'bella' }).first()).status).toBe('active');
    const carerUrl = `/subnets/${ids.subnet('eating-disorders')}/members/${ids.user('carer')}`;
    expect(
      (await postForm(clinician, `${carerUrl}/suspend`, { reason: 'Testing suspension across services' })).status,
    ).toBe(404);
  });
});
