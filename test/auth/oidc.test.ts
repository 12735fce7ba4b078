import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { connected, disconnected, eventually, openSocket, sessionCookie } from '../helpers/sockets.js';
import { nextStep, totpCode, totpCodeFor } from '../helpers/totp.js';
import { freePort } from '../helpers/ports.js';
import { loadConfig } from '../../src/config.js';

const CLIENT = { clientId: 'sharon-test', clientSecret: 'sharon-test-secret-0123456789' };
// The provider sends the browser here; the test replays the answer against the app's real address.
const REDIRECT = 'http://127.0.0.1:9/auth/oidc/callback';

/** Cookies for one site (the app or the provider), as a browser keeps them. */
class Jar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const pair = c.split(';')[0] ?? '';
      const i = pair.indexOf('=');
      this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  cookie(name: string): string {
    return `${name}=${this.cookies.get(name) ?? ''}`;
  }
}

async function get(url: string, jar: Jar): Promise<Response> {
  const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
  jar.take(res);
  return res;
}

/** Presses "Sign in with your organisation" on SHaRON's sign-in page: the provider's URL. */
async function pressOrganisationButton(base: string, app: Jar): Promise<Response> {
  const page = await get(`${base}/login`, app);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html.slice(html.indexOf('/auth/oidc/start')))?.[1] ?? '';
  const res = await fetch(`${base}/auth/oidc/start`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: app.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }),
  });
  app.take(res);
  return res;
}

/** Follows the provider's redirects (its interaction signs in the chosen account) to SHaRON's callback URL. */
async function throughProvider(authorizeUrl: string): Promise<URL> {
  const jar = new Jar();
  let url = authorizeUrl;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(REDIRECT)) return new URL(url);
    const res = await get(url, jar);
    const location = res.headers.get('location');
    if (!location) throw new Error(`provider stopped at ${url}: ${res.status} ${await res.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the provider');
}

/** A whole organisation sign-in: the app's answer to the callback, and the app's cookies. */
async function organisationSignIn(
  base: string,
  tamper?: (callback: URL) => void,
): Promise<{ res: Response; jar: Jar; text: string }> {
  const jar = new Jar();
  const start = await pressOrganisationButton(base, jar);
  expect(start.status).toBe(303);
  const callback = await throughProvider(String(start.headers.get('location')));
  tamper?.(callback);
  const res = await get(`${base}/auth/oidc/callback${callback.search}`, jar);
  return { res, jar, text: await res.text() };
}

const keyDir = mkdtempSync(path.join(tmpdir(), 'sharon-oidc-keys-'));
afterAll(() => rmSync(keyDir, { recursive: true, force: true }));

/** A new key pair: the private key as a PEM PKCS#8 file SHaRON reads, and the public key as the provider's JWK. */
function clientKey(name: string, kind: 'rsa' | 'ec' = 'rsa'): { file: string; jwk: JWK } {
  const { privateKey, publicKey } =
    kind === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file = path.join(keyDir, `${name}.pem`);
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { file, jwk: { ...publicKey.export({ format: 'jwk' }), kid: name, use: 'sig' } };
}

const isSignedIn = async (base: string, jar: Jar) => {
  const res = await get(`${base}/account/sessions`, jar);
  return res.status === 200;
};

describe('staff sign-in with the organisation (OpenID Connect)', () => {
  let provider: TestProvider;
  let t: TestApp;
  let base: string;
  /** SHaRON registered with the test provider as CLIENT, with these settings added. */
  const withProvider = (extra: Record<string, string> = {}) => ({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_REDIRECT_URI: REDIRECT,
    ...extra,
  });

  beforeAll(async () => {
    provider = await startTestProvider();
    t = await startTestApp(withProvider({ OIDC_MFA_ACR: 'urn:test:aal3' }));
    base = await t.listen();
    provider.register({
      ...CLIENT,
      redirectUri: REDIRECT,
      backchannelLogoutUri: `${base}/auth/oidc/backchannel-logout`,
    });
  });
  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  async function staffWithEmail(email: string, role: 'clinician' | 'peer_moderator' | 'admin' = 'clinician') {
    const user = await makeUser(t.db, { role });
    await t.db('users').where({ id: user.id }).update({ work_email: email });
    return user;
  }

  it('links a staff account on first sign-in by the verified work email, and the provider’s MFA (amr) replaces the TOTP step', async () => {
    const user = await staffWithEmail('Rowan.Price@nhs.test');
    provider.accounts.set('entra-rowan', { email: 'rowan.price@nhs.test', email_verified: true });
    provider.signInAs('entra-rowan', { amr: ['pwd', 'mfa'] });
    const { res, jar } = await organisationSignIn(base);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(await isSignedIn(base, jar)).toBe(true);
    const row = await t.db('users').where({ id: user.id }).first('oidc_issuer', 'oidc_subject');
    expect(row).toEqual({ oidc_issuer: provider.issuer, oidc_subject: 'entra-rowan' });
    const link = await t.db('audit_log').where({ action: 'account.organisation_link', target_id: user.id }).first();
    expect(link).toBeDefined();

    // Once linked, the subject decides: the provider's email may change (a name change) and it still signs in.
    provider.accounts.set('entra-rowan', { email: 'rowan.someone-else@nhs.test', email_verified: false });
    const again = await organisationSignIn(base);
    expect(again.res.headers.get('location')).toBe('/');
    expect(await isSignedIn(base, again.jar)).toBe(true);
  });

  it('asks for SHaRON’s own code when the ID token shows no multi-factor, and an acr the trust configured counts as one', async () => {
    await staffWithEmail('sam.one@nhs.test');
    provider.accounts.set('entra-sam', { email: 'sam.one@nhs.test', email_verified: true });
    provider.signInAs('entra-sam', { amr: ['pwd'] });
    const { res, jar } = await organisationSignIn(base);
    expect(res.headers.get('location')).toBe('/login/two-factor');
    expect(await isSignedIn(base, jar)).toBe(false);
    const form = await (await get(`${base}/login/two-factor`, jar)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
    nextStep();
    const code = await fetch(`${base}/login/two-factor`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, code: await totpCode() }),
    });
    jar.take(code);
    expect(code.status).toBe(303);
    expect(await isSignedIn(base, jar)).toBe(true);

    provider.signInAs('entra-sam', { acr: 'urn:test:aal3' });
    const aal3 = await organisationSignIn(base);
    expect(aal3.res.headers.get('location')).toBe('/');
    provider.signInAs('entra-sam', { acr: 'urn:test:aal1' });
    const aal1 = await organisationSignIn(base);
    expect(aal1.res.headers.get('location')).toBe('/login/two-factor');
  });

  it('a single sign-in method in amr (an SMS code, a security key) is one factor: SHaRON still asks for its own code', async () => {
    await staffWithEmail('casey.one@nhs.test');
    provider.accounts.set('entra-casey', { email: 'casey.one@nhs.test', email_verified: true });
    for (const amr of [['sms'], ['otp'], ['hwk'], ['pwd', 'pin']]) {
      provider.signInAs('entra-casey', { amr });
      const { res, jar } = await organisationSignIn(base);
      expect(res.headers.get('location'), amr.join('+')).toBe('/login/two-factor');
      expect(await isSignedIn(base, jar), amr.join('+')).toBe(false);
    }
    // Two kinds of factor (a password and a one-time code) do stand in for SHaRON's code.
    provider.signInAs('entra-casey', { amr: ['pwd', 'otp'] });
    const both = await organisationSignIn(base);
    expect(both.res.headers.get('location')).toBe('/');
    expect(await isSignedIn(base, both.jar)).toBe(true);
  });

  it('a staff member without SHaRON two-factor, signed in by the organisation without MFA, sets it up without a SHaRON password', async () => {
    const user = await staffWithEmail('newstarter@nhs.test');
    await t
      .db('users')
      .where({ id: user.id })
      .update({ totp_secret: null, totp_enabled_at: null, password_hash: null });
    provider.accounts.set('entra-newstarter', { email: 'newstarter@nhs.test', email_verified: true });
    provider.signInAs('entra-newstarter', { amr: ['pwd'] });
    const { res, jar } = await organisationSignIn(base);
    expect(res.headers.get('location')).toBe('/');
    const home = await get(`${base}/`, jar);
    expect(home.headers.get('location')).toBe('/account/two-factor');
    const setup = await (await get(`${base}/account/two-factor`, jar)).text();
    expect(setup).not.toContain('name="current"');
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(setup)?.[1] ?? '';
    const done = await fetch(`${base}/account/two-factor`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, code: await totpCodeFor(secret) }),
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your recovery codes');
    expect((await t.db('users').where({ id: user.id }).first('totp_enabled_at')).totp_enabled_at).not.toBeNull();
  });

  it('refuses an email that belongs to no staff account, with a clear page, audited', async () => {
    provider.accounts.set('entra-stranger', { email: 'stranger@nhs.test', email_verified: true });
    provider.signInAs('entra-stranger', { amr: ['mfa'] });
    const { res, jar, text } = await organisationSignIn(base);
    expect(res.status).toBe(403);
    expect(text).toContain('There is no SHaRON staff account for your work email address.');
    expect(await isSignedIn(base, jar)).toBe(false);
    const audit = await t.db('audit_log').where({ action: 'login', reason: 'no_staff_account_for_email' }).first();
    expect(audit).toBeDefined();
  });

  it('refuses an email the provider has not verified, and links nothing', async () => {
    const user = await staffWithEmail('unverified@nhs.test');
    provider.accounts.set('entra-unverified', { email: 'unverified@nhs.test', email_verified: false });
    provider.signInAs('entra-unverified', { amr: ['mfa'] });
    const { res, jar, text } = await organisationSignIn(base);
    expect(res.status).toBe(403);
    expect(text).toContain('Your organisation did not confirm your email address');
    expect(await isSignedIn(base, jar)).toBe(false);
    expect((await t.db('users').where({ id: user.id }).first('oidc_subject')).oidc_subject).toBeNull();
    expect(await t.db('audit_log').where({ reason: 'email_not_verified', actor_id: null }).first()).toBeDefined();
  });

  it('with OIDC_EMAIL_VERIFIED_CLAIM=xms_edov (Entra ID), links by xms_edov: true and refuses it false, absent or not a boolean', async () => {
    const entra = await startTestApp(withProvider({ OIDC_EMAIL_VERIFIED_CLAIM: 'xms_edov' }), t.database);
    try {
      const entraBase = await entra.listen();
      const firstSignIn = async (id: string, identity: Record<string, unknown>) => {
        const user = await staffWithEmail(`${id}@nhs.test`);
        provider.accounts.set(id, { email: `${id}@nhs.test`, ...identity });
        provider.signInAs(id, { amr: ['mfa'] });
        const { res, jar, text } = await organisationSignIn(entraBase);
        const row = await t.db('users').where({ id: user.id }).first('oidc_subject');
        return { status: res.status, text, signedIn: await isSignedIn(entraBase, jar), linked: row.oidc_subject };
      };
      // Entra sends no email_verified: the domain-owner-verified claim decides.
      const edov = await firstSignIn('entra-edov-true', { xms_edov: true });
      expect(edov).toMatchObject({ status: 303, signedIn: true, linked: 'entra-edov-true' });
      for (const [id, identity] of [
        ['entra-edov-false', { xms_edov: false }],
        ['entra-edov-absent', {}],
        ['entra-edov-string', { xms_edov: 'true' }],
        // The setting names the claim that decides: email_verified alone no longer links.
        ['entra-edov-other-claim', { email_verified: true }],
      ] as const) {
        const refused = await firstSignIn(id, identity);
        expect(refused, id).toMatchObject({ status: 403, signedIn: false, linked: null });
        expect(refused.text, id).toContain('Your organisation did not confirm your email address');
      }
    } finally {
      await entra.close();
    }
  });

  it('never signs in a member by the provider, even with a matching verified email', async () => {
    const member = await makeUser(t.db, { role: 'patient' });
    await t.db('users').where({ id: member.id }).update({ work_email: 'member@nhs.test' });
    provider.accounts.set('entra-member', { email: 'member@nhs.test', email_verified: true });
    provider.signInAs('entra-member', { amr: ['mfa'] });
    const { res, jar } = await organisationSignIn(base);
    expect(res.status).toBe(403);
    expect(await isSignedIn(base, jar)).toBe(false);
    expect((await t.db('users').where({ id: member.id }).first('oidc_subject')).oidc_subject).toBeNull();
  });

  it('refuses a tampered state, and the same answer used twice', async () => {
    await staffWithEmail('tamper@nhs.test');
    provider.accounts.set('entra-tamper', { email: 'tamper@nhs.test', email_verified: true });
    provider.signInAs('entra-tamper', { amr: ['mfa'] });
    const tampered = await organisationSignIn(base, (cb) => cb.searchParams.set('state', 'forged-state'));
    expect(tampered.res.status).toBe(400);
    expect(tampered.text).toContain('could not be checked');
    expect(await isSignedIn(base, tampered.jar)).toBe(false);

    const jar = new Jar();
    const start = await pressOrganisationButton(base, jar);
    const callback = await throughProvider(String(start.headers.get('location')));
    expect((await get(`${base}/auth/oidc/callback${callback.search}`, jar)).status).toBe(303);
    const replay = new Jar();
    await get(`${base}/login`, replay);
    const second = await get(`${base}/auth/oidc/callback${callback.search}`, replay);
    expect(second.status).toBe(400);
    expect(await isSignedIn(base, replay)).toBe(false);
  });

  it('ends every session and live socket of the person when the provider sends a back-channel logout', async () => {
    const user = await staffWithEmail('logout@nhs.test');
    provider.accounts.set('entra-logout', { email: 'logout@nhs.test', email_verified: true });
    provider.signInAs('entra-logout', { amr: ['mfa'] });
    const first = await organisationSignIn(base);
    const second = await organisationSignIn(base);
    const socket = openSocket(base, first.jar.cookie('sharon.sid'));
    await connected(socket);
    const gone = disconnected(socket);
    const sessions = await t.db('session').whereRaw("sess -> 'passport' ->> 'user' = ?", [user.id]).select('sess');
    expect(sessions).toHaveLength(2);
    const sid = sessions.map((s) => (typeof s.sess === 'string' ? JSON.parse(s.sess) : s.sess).oidcSid)[0];
    expect(typeof sid).toBe('string');

    await provider.backchannelLogout('entra-logout', sid);
    await gone;
    expect(socket.connected).toBe(false);
    expect(await isSignedIn(base, first.jar)).toBe(false);
    expect(await isSignedIn(base, second.jar)).toBe(false);
    const audit = await t.db('audit_log').where({ action: 'session.end_all', target_id: user.id }).first();
    expect(audit?.details).toMatchObject({ by: 'organisation_logout', sessions: 2 });
    socket.close();
  });

  it('an admin enters a work email on the staff page; a duplicate comes back at 400 with the input kept; a new address unlinks', async () => {
    const admin = await sessionCookie(base, 'admin');
    const linked = await staffWithEmail('linked@nhs.test');
    await t
      .db('users')
      .where({ id: linked.id })
      .update({ oidc_issuer: provider.issuer, oidc_subject: 'entra-linked', oidc_linked_at: t.db.fn.now() });
    const other = await makeUser(t.db, { role: 'peer_moderator' });
    const save = async (id: string, workEmail: string) => {
      const page = await fetch(`${base}/admin/staff/${id}`, { headers: { cookie: admin } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      return fetch(`${base}/admin/staff/${id}/work-email`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: admin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, workEmail }),
      });
    };
    const clash = await save(other.id, 'LINKED@nhs.test');
    expect(clash.status).toBe(400);
    const html = await clash.text();
    expect(html).toContain('Another staff account already has that work email');
    expect(html).toContain('value="LINKED@nhs.test"');
    const bad = await save(other.id, 'not an email');
    expect(bad.status).toBe(400);

    const saved = await save(other.id, 'pm.other@nhs.test');
    expect(saved.status).toBe(303);
    const landed = await fetch(new URL(String(saved.headers.get('location')), base), { headers: { cookie: admin } });
    expect(await landed.text()).toContain('work email was saved');

    const moved = await save(linked.id, 'linked.new@nhs.test');
    expect(moved.headers.get('location')).toContain('done=email-unlinked');
    const row = await t.db('users').where({ id: linked.id }).first('work_email', 'oidc_subject');
    expect(row).toEqual({ work_email: 'linked.new@nhs.test', oidc_subject: null });
  });

  it('refuses a logout token that is not signed by the provider', async () => {
    const forged = [
      'eyJhbGciOiJub25lIn0',
      Buffer.from(JSON.stringify({ sub: 'entra-rowan' })).toString('base64url'),
      '',
    ];
    const res = await fetch(`${base}/auth/oidc/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: forged.join('.') }),
    });
    expect(res.status).toBe(400);
  });

  it('with OIDC_STAFF_ONLY_SSO=true, a staff password sign-in answers exactly as a wrong password, right or not, and counts against the throttle; members keep theirs', async () => {
    const only = await startTestApp(withProvider({ OIDC_STAFF_ONLY_SSO: 'true' }), t.database);
    try {
      const onlyBase = await only.listen();
      const page = await (await get(`${onlyBase}/login`, new Jar())).text();
      expect(page).toContain('Staff: sign in with your work account');
      const signIn = async (username: string, password: string) => {
        const jar = new Jar();
        const form = await (await get(`${onlyBase}/login`, jar)).text();
        const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
        const res = await fetch(`${onlyBase}/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, username, password }),
        });
        jar.take(res);
        return { status: res.status, text: await res.text(), jar };
      };
      // Every CSRF token on the page differs from one request to the next; nothing else may.
      const withoutTokens = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""');

      const staff = await makeUser(t.db, { role: 'clinician' });
      const right = await signIn(staff.username, DEMO_PASSWORD);
      const wrong = await signIn(staff.username, 'not-the-password-at-all');
      expect(right.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(withoutTokens(right.text)).toBe(withoutTokens(wrong.text));
      expect(right.text).toContain('The username or password is not right');
      expect(await isSignedIn(onlyBase, right.jar)).toBe(false);
      const audit = await t
        .db('audit_log')
        .where({ action: 'login', actor_id: staff.id })
        .orderBy('id')
        .pluck('reason');
      expect(audit).toEqual(['staff_password_off', 'bad_credentials']);

      // A suspended staff account: "suspended" would say the password was right, so the same answer.
      const suspended = await makeUser(t.db, { role: 'peer_moderator', status: 'suspended' });
      const rightSuspended = await signIn(suspended.username, DEMO_PASSWORD);
      const wrongSuspended = await signIn(suspended.username, 'not-the-password-at-all');
      expect(rightSuspended.status).toBe(401);
      expect(withoutTokens(rightSuspended.text)).toBe(withoutTokens(wrongSuspended.text));

      // The right password counts against the throttle as a wrong one does: 5 for this username here.
      for (let i = 0; i < 3; i++) expect((await signIn(staff.username, DEMO_PASSWORD)).status).toBe(401);
      expect((await signIn(staff.username, DEMO_PASSWORD)).status).toBe(429);

      const member = await signIn('anna', DEMO_PASSWORD);
      expect(member.status).toBe(303);
      expect(await isSignedIn(onlyBase, member.jar)).toBe(true);
    } finally {
      await only.close();
    }
  });

  it('with OIDC_CLIENT_PRIVATE_KEY_FILE (private_key_jwt, as NHS CIS2 requires), signs in with an RSA or an EC key; another key is refused by the provider and the person gets the could-not-sign-in page', async () => {
    const keyed = await startTestProvider();
    const rsa = clientKey('sharon-rsa-2026');
    const ec = clientKey('sharon-ec-2026', 'ec');
    const stranger = clientKey('not-registered');
    keyed.register({ clientId: 'sharon-keyed', redirectUri: REDIRECT, jwks: { keys: [rsa.jwk, ec.jwk] } });
    const apps: TestApp[] = [];
    const appWithKey = async (key: { file: string }, keyId?: string) => {
      const app = await startTestApp(
        {
          OIDC_ISSUER: keyed.issuer,
          OIDC_CLIENT_ID: 'sharon-keyed',
          OIDC_CLIENT_PRIVATE_KEY_FILE: key.file,
          ...(keyId ? { OIDC_CLIENT_KEY_ID: keyId } : {}),
          OIDC_REDIRECT_URI: REDIRECT,
        },
        t.database,
      );
      apps.push(app);
      return app.listen();
    };
    try {
      const metadata = await (await fetch(`${keyed.issuer}/.well-known/openid-configuration`)).json();
      const user = await staffWithEmail('keyed.rsa@nhs.test');
      keyed.accounts.set('cis2-rsa', { email: 'keyed.rsa@nhs.test', email_verified: true });
      keyed.signInAs('cis2-rsa', { amr: ['mfa'] });
      const rsaBase = await appWithKey(rsa, 'sharon-rsa-2026');
      const first = await organisationSignIn(rsaBase);
      expect(first.res.status).toBe(303);
      expect(first.res.headers.get('location')).toBe('/');
      expect(await isSignedIn(rsaBase, first.jar)).toBe(true);
      const row = await t.db('users').where({ id: user.id }).first('oidc_issuer', 'oidc_subject');
      expect(row).toEqual({ oidc_issuer: keyed.issuer, oidc_subject: 'cis2-rsa' });
      // The provider got a signed assertion, not a secret: RS256 by default, the configured kid, and
      // the token endpoint as its audience (CIS2's ForgeRock AM requires that, not the issuer).
      expect(keyed.tokenRequests).toHaveLength(1);
      const assertion = String(keyed.tokenRequests[0]?.clientAssertion);
      expect(keyed.tokenRequests[0]?.error).toBeUndefined();
      expect(decodeProtectedHeader(assertion)).toMatchObject({ alg: 'RS256', kid: 'sharon-rsa-2026' });
      expect(decodeJwt(assertion)).toMatchObject({
        iss: 'sharon-keyed',
        sub: 'sharon-keyed',
        aud: metadata.token_endpoint,
      });

      // An EC P-256 key signs with ES256; without OIDC_CLIENT_KEY_ID the header names no kid.
      await staffWithEmail('keyed.ec@nhs.test');
      keyed.accounts.set('cis2-ec', { email: 'keyed.ec@nhs.test', email_verified: true });
      keyed.signInAs('cis2-ec', { amr: ['mfa'] });
      const ecBase = await appWithKey(ec);
      const second = await organisationSignIn(ecBase);
      expect(second.res.headers.get('location')).toBe('/');
      expect(await isSignedIn(ecBase, second.jar)).toBe(true);
      const ecHeader = decodeProtectedHeader(String(keyed.tokenRequests[1]?.clientAssertion));
      expect(ecHeader.alg).toBe('ES256');
      expect(ecHeader.kid).toBeUndefined();

      // A key the provider does not know, even under a registered kid: refused, nobody signed in, no 500.
      const wrong = await staffWithEmail('keyed.wrong@nhs.test');
      keyed.accounts.set('cis2-wrong', { email: 'keyed.wrong@nhs.test', email_verified: true });
      keyed.signInAs('cis2-wrong', { amr: ['mfa'] });
      const wrongBase = await appWithKey(stranger, 'sharon-rsa-2026');
      const checkFailures = () => t.db('audit_log').where({ action: 'login', reason: 'oidc_check_failed' }).count();
      const [before] = await checkFailures();
      const refused = await organisationSignIn(wrongBase);
      expect(keyed.tokenRequests[2]).toMatchObject({ error: 'invalid_client' });
      expect(refused.res.status).toBe(400);
      expect(refused.text).toContain('You have not been signed in');
      expect(refused.text).toContain('could not be checked');
      expect(await isSignedIn(wrongBase, refused.jar)).toBe(false);
      expect((await t.db('users').where({ id: wrong.id }).first('oidc_subject')).oidc_subject).toBeNull();
      const [after] = await checkFailures();
      expect(Number(after?.count)).toBe(Number(before?.count) + 1);
    } finally {
      for (const app of apps) await app.close();
      await keyed.close();
    }
  });

  it('answers "unavailable, try again" when the provider is down, and the rest of SHaRON works', async () => {
    const down = await startTestApp(
      {
        OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
        OIDC_CLIENT_ID: CLIENT.clientId,
        OIDC_CLIENT_SECRET: CLIENT.clientSecret,
        OIDC_REDIRECT_URI: REDIRECT,
      },
      t.database,
    );
    try {
      const downBase = await down.listen();
      const jar = new Jar();
      const res = await pressOrganisationButton(downBase, jar);
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(text).toContain('Sign-in with your organisation is unavailable');
      expect(text).toContain('Try again');
      await eventually(async () => (await get(`${downBase}/login`, new Jar())).status === 200);
    } finally {
      await down.close();
    }
  });
});

describe('organisation sign-in configuration', () => {
  it('needs issuer, client id and exactly one of a client secret or a private key file, or none of them', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', OIDC_ISSUER: 'https://login.example.test/v2.0' })).toThrow(
      /OIDC_CLIENT_ID: is required when OIDC_ISSUER is set/,
    );
    const both = { NODE_ENV: 'test', OIDC_ISSUER: 'https://login.example.test/v2.0', OIDC_CLIENT_ID: 'id' };
    expect(() => loadConfig(both)).toThrow(
      /OIDC_CLIENT_SECRET or OIDC_CLIENT_PRIVATE_KEY_FILE: is required when OIDC_ISSUER and OIDC_CLIENT_ID are set/,
    );
    const key = clientKey('config-both');
    expect(() => loadConfig({ ...both, OIDC_CLIENT_SECRET: 'secret', OIDC_CLIENT_PRIVATE_KEY_FILE: key.file })).toThrow(
      /OIDC_CLIENT_PRIVATE_KEY_FILE: cannot be set together with OIDC_CLIENT_SECRET/,
    );
    expect(loadConfig({ NODE_ENV: 'test' }).oidc).toBeUndefined();
    const c = loadConfig({
      NODE_ENV: 'test',
      PUBLIC_ORIGIN: 'https://sharon.example.nhs.uk',
      OIDC_ISSUER: 'https://login.example.test/v2.0',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
    });
    expect(c.oidc?.redirectUri).toBe('https://sharon.example.nhs.uk/auth/oidc/callback');
  });

  it('reads the verified-email claim from OIDC_EMAIL_VERIFIED_CLAIM: email_verified unless set, and refuses a name that is not a claim name', () => {
    const env = {
      NODE_ENV: 'test',
      PUBLIC_ORIGIN: 'https://sharon.example.nhs.uk',
      OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
    };
    expect(loadConfig(env).oidc?.emailVerifiedClaim).toBe('email_verified');
    expect(loadConfig({ ...env, OIDC_EMAIL_VERIFIED_CLAIM: 'xms_edov' }).oidc?.emailVerifiedClaim).toBe('xms_edov');
    expect(() => loadConfig({ ...env, OIDC_EMAIL_VERIFIED_CLAIM: 'xms edov' })).toThrow(/OIDC_EMAIL_VERIFIED_CLAIM/);
  });

  it('reads OIDC_CLIENT_PRIVATE_KEY_FILE at start-up: a missing, unreadable or wrong file, or an algorithm the key cannot sign with, stops it with one line naming the variable', () => {
    const env = {
      NODE_ENV: 'test',
      PUBLIC_ORIGIN: 'https://sharon.example.nhs.uk',
      OIDC_ISSUER:
        'https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare',
      OIDC_CLIENT_ID: 'sharon.apps.supplier',
    };
    const rsa = clientKey('config-rsa');
    const ec384 = path.join(keyDir, 'config-ec384.pem');
    const { privateKey: p384 } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    writeFileSync(ec384, p384.export({ type: 'pkcs8', format: 'pem' }));
    const small = path.join(keyDir, 'config-rsa1024.pem');
    writeFileSync(
      small,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const ed = path.join(keyDir, 'config-ed25519.pem');
    writeFileSync(ed, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const publicOnly = path.join(keyDir, 'public.pem');
    writeFileSync(
      publicOnly,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    const auth = (extra: Record<string, string>) => loadConfig({ ...env, ...extra }).oidc?.clientAuth;

    expect(auth({ OIDC_CLIENT_PRIVATE_KEY_FILE: rsa.file, OIDC_CLIENT_KEY_ID: 'k1' })).toMatchObject({
      method: 'private_key_jwt',
      alg: 'RS256',
      keyId: 'k1',
    });
    expect(auth({ OIDC_CLIENT_PRIVATE_KEY_FILE: rsa.file, OIDC_CLIENT_KEY_ALG: 'PS256' })).toMatchObject({
      alg: 'PS256',
    });
    expect(auth({ OIDC_CLIENT_PRIVATE_KEY_FILE: ec384 })).toMatchObject({ alg: 'ES384' });
    expect(auth({ OIDC_CLIENT_SECRET: 'secret' })).toEqual({ method: 'client_secret', secret: 'secret' });

    const refusal = (extra: Record<string, string>) => {
      try {
        loadConfig({ ...env, ...extra });
      } catch (e) {
        return (e as Error).message.split('\n').slice(1);
      }
      return [];
    };
    const missing = path.join(keyDir, 'no-such-key.pem');
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: missing })).toEqual([
      `  OIDC_CLIENT_PRIVATE_KEY_FILE: cannot read ${missing} (ENOENT)`,
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: keyDir })).toEqual([
      `  OIDC_CLIENT_PRIVATE_KEY_FILE: cannot read ${keyDir} (EISDIR)`,
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: publicOnly })).toEqual([
      `  OIDC_CLIENT_PRIVATE_KEY_FILE: ${publicOnly} is not a PEM private key (PKCS#8 "BEGIN PRIVATE KEY", RSA or EC, not encrypted)`,
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: small })).toEqual([
      `  OIDC_CLIENT_PRIVATE_KEY_FILE: ${small} holds a 1024-bit RSA key: use 2048 bits or more`,
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: ed })).toEqual([
      `  OIDC_CLIENT_PRIVATE_KEY_FILE: ${ed} holds a ed25519 key: use RSA (2048 bits or more) or EC (P-256, P-384 or P-521)`,
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: rsa.file, OIDC_CLIENT_KEY_ALG: 'ES256' })).toEqual([
      '  OIDC_CLIENT_KEY_ALG: the RSA key in OIDC_CLIENT_PRIVATE_KEY_FILE signs with RS256 to RS512 or PS256 to PS512, not ES256',
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: ec384, OIDC_CLIENT_KEY_ALG: 'ES256' })).toEqual([
      '  OIDC_CLIENT_KEY_ALG: the EC key in OIDC_CLIENT_PRIVATE_KEY_FILE signs with ES384, not ES256',
    ]);
    expect(refusal({ OIDC_CLIENT_PRIVATE_KEY_FILE: rsa.file, OIDC_CLIENT_KEY_ALG: 'HS256' })[0]).toMatch(
      /^ {2}OIDC_CLIENT_KEY_ALG: /,
    );
    expect(refusal({ OIDC_CLIENT_SECRET: 'secret', OIDC_CLIENT_KEY_ID: 'k1' })).toEqual([
      '  OIDC_CLIENT_KEY_ID: is only used with OIDC_CLIENT_PRIVATE_KEY_FILE',
    ]);
  });
});
