import { randomUUID } from 'node:crypto';
import type { Application } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { crisisContacts, crisisContactsText, telSegments } from '../../src/safety/crisis-contacts.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});
const anorexia = () => `/rooms/${ids.room('Anorexia living room')}`;
const setOwn = (slug: string, text: string) => t.db('subnets').where({ slug }).update({ crisis_contacts: text });

/** The tel: numbers of a piece of HTML, in page order. */
const telLinks = (html: string) => [...html.matchAll(/<a href="tel:([^"]*)">/g)].map((m) => m[1]);
/** The UK numbers first, in this order, before anything else. */
const UK = ['999', '111', '116123'];
/** The HTML of the element with this id (up to its closing tag at the same depth, for divs). */
function section(html: string, id: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no #${id} on the page`);
  let depth = 0;
  for (const m of html.slice(start).matchAll(/<(\/?)div\b/g)) {
    depth += m[1] ? -1 : 1;
    if (depth < 0) return html.slice(start, start + m.index);
  }
  return html.slice(start);
}

describe('crisis help for everyone', () => {
  it('GET /help without signing in answers 200 with 999, NHS 111 and Samaritans as tel: links, in that order', async () => {
    const res = await request(t.app).get('/help');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Need help now?</h1>');
    expect(res.text).toContain('call <a href="tel:999">999</a> or go to A&amp;E now');
    expect(res.text).toContain('call NHS <a href="tel:111">111</a> and choose option 2');
    expect(res.text).toContain('Samaritans free on <a href="tel:116123">116 123</a>');
    expect(telLinks(res.text.slice(0, res.text.indexOf('</main>'))).slice(0, 3)).toEqual(UK);
    expect(res.text).toContain('href="/login"');
  });

  it("a member whose service has its own contacts sees the UK numbers first and then the service's own, as tel: links", async () => {
    const res = await (await signIn(t.app, 'anna')).get('/help');
    expect(res.status).toBe(200);
    const main = res.text.slice(0, res.text.indexOf('</main>'));
    expect(telLinks(main)).toEqual([...UK, '01614960123']);
    expect(main).toMatch(
      /<h2 class="nhsuk-heading-m">Eating Disorders<\/h2>\s*<ul[^>]*>\s*<li>Eating Disorders duty team \(Monday to Friday, 9am to 5pm\): <a href="tel:01614960123">0161 496 0123<\/a><\/li>/,
    );
    expect(main).toContain('Eating Disorders: Monday to Friday, 09:00 to 17:00'); // made from the hours (H30)
  });

  it("a service's own text adds to the UK numbers and never replaces them; its text stays text, escaped", async () => {
    const admin = await signIn(t.app, 'admin');
    const own = 'Veterans line <b>24/7</b>: 0300 123 4567\nText SHOUT to 85258';
    const saved = await postForm(
      admin,
      `/admin/subnets/${ids.subnet('veterans-trauma')}`,
      {
        name: 'Veterans Trauma',
        slug: 'veterans-trauma',
        description: 'x',
        crisisContacts: own,
        serviceHours: 'Always',
        hoursStart: '09:00',
        hoursEnd: '17:00',
        hoursDays: ['1', '2'],
      },
      `/admin/subnets/${ids.subnet('veterans-trauma')}`,
    );
    expect(saved.status).toBe(303);
    const form = await admin.get(`/admin/subnets/${ids.subnet('veterans-trauma')}`);
    const preview = section(form.text, 'crisis-preview');
    expect(telLinks(preview)).toEqual([...UK, '03001234567']);
    expect(preview).toContain('Veterans line &lt;b&gt;24/7&lt;/b&gt;: <a href="tel:03001234567">0300 123 4567</a>');
    expect(preview).toContain('<li>Text SHOUT to 85258</li>');
    expect(preview).not.toContain('<b>');
  });

  it("the living room's crisis box and the support after an alert show the UK numbers first, also when the service has none of its own", async () => {
    const anna = await signIn(t.app, 'anna');
    const withOwn = await anna.get(anorexia());
    expect(telLinks(section(withOwn.text, 'crisis'))).toEqual([...UK, '01614960123']);
    await setOwn('eating-disorders', '');
    try {
      const room = await anna.get(anorexia());
      expect(telLinks(section(room.text, 'crisis'))).toEqual(UK);
      const sent = await postForm(
        anna,
        `${anorexia()}/messages`,
        { clientId: randomUUID(), body: 'I want to end it all' },
        anorexia(),
      );
      expect(sent.status).toBe(303);
      const landed = await anna.get(String(sent.headers.location).replace(/#.*$/, ''));
      expect(telLinks(section(landed.text, 'support'))).toEqual(UK);
    } finally {
      await setOwn('eating-disorders', 'Eating Disorders duty team (Monday to Friday, 9am to 5pm): 0161 496 0123');
    }
  });

  it('the sign-in page, the 404 page and the 503 page link to /help; the 503 page and every footer show the numbers as tel: links', async () => {
    const login = await request(t.app).get('/login');
    expect(login.text).toContain('<a href="/help">See the crisis contacts</a>');
    const missing = await request(t.app).get('/no-such-page').set('Accept', 'text/html');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<a href="/help">Need help now? See the crisis contacts</a>');
    expect(telLinks(missing.text.slice(missing.text.indexOf('<footer')))).toEqual(UK);
    // The 503 page is shown when the database cannot answer: it needs nothing from it.
    const app = t.app as unknown as Application;
    const html = await new Promise<string>((resolve, reject) =>
      app.render(
        'errors/503',
        {
          title: 'Sorry, the service is unavailable',
          requestId: 'r1',
          currentUser: null,
          nav: [],
          path: '/',
          csrfToken: () => '',
        },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    expect(html).toContain('<a href="/help">Need help now? See the crisis contacts</a>');
    expect(telLinks(html.slice(0, html.indexOf('<footer')))).toEqual(UK);
  });
});

describe('phone numbers in crisis contacts', () => {
  it('UK numbers as people write them become tel: links; times, years, options and text numbers stay text', () => {
    const tels = (s: string) =>
      telSegments(s)
        .filter((x) => x.tel)
        .map((x) => [x.text, x.tel]);
    expect(tels('Call 0161 496 0123 or (0161) 496-0124, +44 (0)161 496 0125, 07700 900123, 0800 58 58 58')).toEqual([
      ['0161 496 0123', '01614960123'],
      ['(0161) 496-0124', '01614960124'],
      ['+44 (0)161 496 0125', '+441614960125'],
      ['07700 900123', '07700900123'],
      ['0800 58 58 58', '0800585858'],
    ]);
    expect(tels('999, 111, 116 123 and 116123')).toEqual([
      ['999', '999'],
      ['111', '111'],
      ['116 123', '116123'],
      ['116123', '116123'],
    ]);
    expect(
      tels('Open 9am to 5pm, 09:00 to 17:00, since 2026; choose option 2; text SHOUT to 85258; ref 19990; 1111'),
    ).toEqual([]);
    const line = 'Ring <script>x</script> 0161 496 0123 now';
    expect(
      telSegments(line)
        .map((s) => s.text)
        .join(''),
    ).toBe(line);
  });

  it('the UK defaults always come first and a service cannot remove them', () => {
    const c = crisisContacts('Call 111\n\n  Our line: 0161 496 0000  ');
    expect(c.defaults.map((l) => l.find((s) => s.tel)?.tel)).toEqual(UK);
    expect(c.services).toEqual([
      {
        name: null,
        lines: [
          [{ text: 'Call ' }, { text: '111', tel: '111' }],
          [{ text: 'Our line: ' }, { text: '0161 496 0000', tel: '01614960000' }],
        ],
      },
    ]);
    expect(crisisContacts('').services).toEqual([]);
    expect(
      crisisContacts([
        { name: 'A', crisisContacts: '' },
        { name: 'B', crisisContacts: 'B line 0161 496 0001' },
      ]).services.map((s) => s.name),
    ).toEqual(['B']);
    expect(crisisContactsText('Our line: 0161 496 0000')).toMatch(
      /999[\s\S]*111[\s\S]*116 123[\s\S]*Our line: 0161 496 0000$/,
    );
    expect(crisisContactsText(null)).toMatch(/999[\s\S]*111[\s\S]*116 123/);
  });
});
