import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { launchChromium, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeMessage, makeReport } from '../helpers/factories.js';

const PAYLOAD = `<img src=x onerror="alert('xss')"><script>alert('xss')</script>"'><svg onload=alert(1)>`;
let t: TestApp;
let base: string;
let browser: Browser;
let pages: string[] = [];

beforeAll(async () => {
  t = await startTestApp();
  base = await t.listen();
  const ids = await demoIds(t.db);
  const db = t.db;
  await db('users')
    .where({ username: 'peermod' })
    .update({ display_name: `Sam ${PAYLOAD}`.slice(0, 80) });
  const messageId = await makeMessage(db, {
    roomId: ids.room('Anorexia living room'),
    authorId: ids.user('anna'),
    body: PAYLOAD,
  });
  const [{ id: threadId }] = await db('threads')
    .insert({
      room_id: ids.room('Anorexia noticeboard'),
      author_id: ids.user('anna'),
      title: `T ${PAYLOAD}`,
      body: PAYLOAD,
    })
    .returning('id');
  await db('replies').insert({ thread_id: threadId, author_id: ids.user('anna'), body: PAYLOAD });
  const [{ id: conv }] = await db('care_conversations')
    .insert({ subnet_id: ids.subnet('eating-disorders'), member_id: ids.user('anna'), awaiting_since: new Date() })
    .returning('id');
  await db('care_messages').insert({ conversation_id: conv, author_id: ids.user('anna'), body: PAYLOAD });
  const [{ id: itemId }] = await db('library_items')
    .insert({
      room_id: ids.room('Eating disorders library'),
      title: `L ${PAYLOAD}`,
      summary: PAYLOAD,
      body_md: PAYLOAD,
      body_text: PAYLOAD,
      source: PAYLOAD.slice(0, 100),
      reviewed_on: '2026-01-01',
      next_review_on: '2027-01-01',
      status: 'published',
    })
    .returning('id');
  await makeReport(db, { messageId, reporterId: ids.user('bella'), reason: PAYLOAD });
  await db('duty_sessions').insert({
    user_id: ids.user('peermod'),
    subnet_id: ids.subnet('eating-disorders'),
    ended_at: new Date(),
    handover_note: PAYLOAD,
  });
  pages = [
    `/rooms/${ids.room('Anorexia living room')}`,
    `/rooms/${ids.room('Anorexia noticeboard')}`,
    `/threads/${threadId}`,
    `/care-team/conversations/${conv}`,
    `/subnets/${ids.subnet('eating-disorders')}/care-team`,
    `/rooms/${ids.room('Eating disorders library')}`,
    `/library/items/${itemId}`,
    `/library/search?q=xss`,
    `/subnets/${ids.subnet('eating-disorders')}/moderation`,
    `/subnets/${ids.subnet('eating-disorders')}/duty`,
  ];
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('stored XSS, checked in a real browser', () => {
  it('payloads in every text field are shown as text: no dialog, no script, no CSP violation', async () => {
    const page = await signedInPage(browser, base, 'clinician');
    const dialogs: string[] = [];
    const violations: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) violations.push(m.text());
    });
    for (const path of pages) {
      await page.goto(`${base}${path}`);
      const injected = await page
        .locator('main img[src="x"], main svg[onload], main script:not([src^="/public/"])')
        .count();
      expect(`${path}: ${injected}`).toBe(`${path}: 0`);
    }
    await page.goto(`${base}/threads/${pages[2]?.split('/').pop()}`);
    expect(await page.locator('main').textContent()).toContain(`<script>alert('xss')</script>`);
    expect(dialogs).toEqual([]);
    expect(violations).toEqual([]);
  });
});
