import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser, type MadeUser } from '../helpers/factories.js';
import { insertResponse } from '../helpers/measures.js';
import { PHQ_9 } from '../../src/measures/instruments/index.js';

// Hazard H38: the FHIR file carries the member's private reference, so the member page asks why
// before it is downloaded, as it does before revealing the reference on the page.
let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
let member: MadeUser;

beforeAll(async () => {
  ({ t, base, browser, ids } = await openBrowserSuite());
  member = await makeUser(t.db, {
    nickname: 'Wren Record',
    subnetId: ids.subnet('eating-disorders'),
    cohortId: ids.cohort('eating-disorders/anorexia'),
    privateReference: 'RX-5150',
  });
  await insertResponse(t.db, { userId: member.id, subnetId: ids.subnet('eating-disorders') }, PHQ_9, '2026-01-05', 14);
});
afterAll(() => closeBrowserSuite({ t, browser }));

describe('downloading a member’s measures for the trust’s record, in a real browser', () => {
  it('without a reason the page says what is missing and the link takes you to the field; with one, the FHIR file downloads and the reason is audited; axe finds nothing', async () => {
    const page = await signedInPage(browser, base, 'clinician', { acceptDownloads: true });
    await page.goto(`${base}/subnets/${ids.subnet('eating-disorders')}/members/${member.id}`);
    const button = page.getByRole('button', { name: 'Download measures (FHIR R4)' });
    await button.click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    expect(page.url()).toMatch(/\/measures\.fhir\.json$/);
    expect(await page.getByRole('heading', { name: 'Wren Record', level: 1 }).count()).toBe(1);
    await page.getByRole('link', { name: 'Say why you are downloading these measures' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('downloadReason');
    expect(await seriousViolations(page)).toEqual([]);

    const reason = 'Adding the scores to the record before review';
    await page.getByLabel('Reason for downloading').fill(reason);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^sharon-measures-\d{8}T\d{6}Z\.fhir\.json$/);
    const bundle = JSON.parse(await readFile(await download.path(), 'utf8')) as Bundle;
    const patient = bundle.entry?.map((e) => e.resource).find((r): r is Patient => r?.resourceType === 'Patient');
    expect(patient?.identifier?.[0]?.value).toBe('RX-5150');
    const row = await t
      .db('audit_log')
      .where({ action: 'measures.fhir_export', target_id: member.id })
      .orderBy('id', 'desc')
      .first();
    expect(row?.details).toMatchObject({ reason, observations: 1 });
    await page.context().close();
  });
});
