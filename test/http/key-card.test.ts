import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { joinLinkQrSvg } from '../../src/keys/key-card.js';

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

describe('the Key issued page and its printable card', () => {
  it('repeats the service, group, role and expiry, and is never cached nor sent on as a referrer', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postForm(
      clinician,
      keysUrl(),
      { cohortId: ids.cohort('eating-disorders/anorexia'), role: 'carer', privateReference: '', expiryDays: '10' },
      keysUrl(),
    );
    expect(res.status).toBe(200);
    const summary = res.text.split('id="key-summary"')[1]?.split('</dl>')[0] ?? '';
    const rows = [...summary.matchAll(/<dt[^>]*>([^<]+)<\/dt><dd[^>]*>([^<]+)<\/dd>/g)].map((m) => `${m[1]}: ${m[2]}`);
    const expires = new Date(Date.now() + 10 * 86_400_000).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    });
    expect(rows).toEqual(['Service: Eating Disorders', 'Group: Anorexia', 'Joins as: Carer', `Expires: ${expires}`]);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('rel="noreferrer"');
  });

  it('offers a card with the key, the link in text and a QR code of exactly that link drawn on the server', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postForm(
      clinician,
      keysUrl(),
      { cohortId: ids.cohort('eating-disorders/anorexia'), role: 'patient', privateReference: '', expiryDays: '14' },
      keysUrl(),
    );
    const card = res.text.split('sharon-key-card')[1]?.split('</section>')[0] ?? '';
    const code = /id="key-code">([A-Z0-9-]+)</.exec(card)?.[1] ?? '';
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const link = />(http[^<]+\/join\?key=[A-Z0-9-]+)<\/a>/.exec(card)?.[1] ?? '';
    expect(link.endsWith(`/join?key=${code}`)).toBe(true);
    expect(card).toContain(await joinLinkQrSvg(link));
    expect(card).toMatch(/<svg class="sharon-qr" role="img" aria-label="QR code of the join link/);
    expect(card).not.toContain('Anorexia'); // a lost card says nothing about the person's care
    expect(card).not.toContain('Eating Disorders');
    expect(res.text).toContain('id="print-card" hidden>Print this card</button>');
    expect(res.text).toContain('/public/css/key-card.css');
  });
});
