import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';

// Issue 17 items 1 and 2 in a real browser: a clinician sets the schedule; a member is offered
// PHQ-9 in the lobby, answers it, and an answer to question 9 above "Not at all" alerts the care
// team and shows the member the crisis contacts (hazard H36).

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => ({ t, base, browser, ids } = await openBrowserSuite()));
afterAll(() => closeBrowserSuite({ t, browser }));

const OPTIONS = ['Not at all', 'Several days', 'More than half the days', 'Nearly every day'];

describe('outcome measures in a real browser', () => {
  it('a clinician sets PHQ-9 at joining and every 28 days; a mistake is shown in the error summary; axe finds nothing', async () => {
    const ed = ids.subnet('eating-disorders');
    const page = await signedInPage(browser, base, 'clinician');
    await page.goto(`${base}/subnets/${ed}/measures`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Offer PHQ-9 to members').check();
    await page.locator('#first-phq-9').fill('0');
    await page.locator('#every-phq-9').fill('3');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(
      'PHQ-9: enter how often in days, from 7 to 365',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('#every-phq-9').fill('28');
    await page.getByRole('button', { name: 'Save the schedule' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Schedule saved.');
    await page.context().close();
  });

  it('an admin pastes a definition with a problem and sees it in words with the text kept, then uploads the example file; axe finds nothing', async () => {
    const ed = ids.subnet('eating-disorders');
    const page = await signedInPage(browser, base, 'admin');
    await page.goto(`${base}/admin/subnets/${ed}/measures`);
    expect(await page.locator('main').textContent()).toContain('Only add an instrument whose licence allows this use');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Or paste the definition').fill('{ "key": "half-written"');
    await page.getByRole('button', { name: 'Check and add the instrument' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('The text is not valid JSON');
    expect(await page.getByLabel('Or paste the definition').inputValue()).toBe('{ "key": "half-written"');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Or paste the definition').fill('');
    const example = fileURLToPath(new URL('../../docs/measures/example-instrument.json', import.meta.url));
    await page.getByLabel(/Upload a definition file/).setInputFiles(example);
    await page.getByRole('button', { name: 'Check and add the instrument' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Instrument added and enabled');
    expect(await page.getByLabel(/Teacup-3/).isChecked()).toBe(true);
    await page.context().close();
  });

  it('a member answers PHQ-9 with question 9 "Several days": the member sees the crisis contacts, and a clinician of the service sees the alert live, finds it in the queue and acknowledges it; axe finds nothing', async () => {
    const ed = ids.subnet('eating-disorders');
    await t
      .db('subnet_measures')
      .insert({ subnet_id: ed, instrument_key: 'phq-9', first_after_days: 0, repeat_every_days: 28 })
      .onConflict(['subnet_id', 'instrument_key'])
      .merge({ first_after_days: 0, repeat_every_days: 28, active: true });
    const member = await makeUser(t.db, {
      nickname: 'Hazel Answers',
      subnetId: ed,
      cohortId: ids.cohort('eating-disorders/anorexia'),
    });
    // A clinician of the service, off duty, has the lobby open: the alert must reach them live.
    const clinician = await signedInPage(browser, base, 'clinician');
    await clinician.goto(base);
    await expect.poll(async () => (await t.realtime.staffOnline(ed)).includes(ids.user('clinician'))).toBe(true);
    const page = await signedInPage(browser, base, member.username);
    await page.goto(base);
    await page.getByRole('link', { name: 'Answer now (PHQ-9)' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('PHQ-9');
    expect(await seriousViolations(page)).toEqual([]);

    // Sending with questions left out: the summary names them, the chosen answer stays chosen.
    const question = (n: number) => page.getByRole('group', { name: new RegExp(`^(Question )?${n}\\. `) });
    await question(1).getByLabel('Several days').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-error-summary li').allInnerTexts()).toEqual(
      [2, 3, 4, 5, 6, 7, 8, 9].map((n) => `Choose an answer to question ${n}`),
    );
    expect(await question(1).getByLabel('Several days').isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    for (let n = 2; n <= 8; n++)
      await question(n)
        .getByLabel(OPTIONS[n % 2] ?? 'Not at all')
        .check();
    await question(9).getByLabel('Several days').check();
    await page.getByRole('button', { name: 'Send my answers' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you for telling us');
    expect(await page.getByRole('status').textContent()).toContain(
      'A member of the team who is online at Eating Disorders has been told',
    );
    const main = page.locator('main');
    expect(await main.getByRole('link', { name: '116 123' }).getAttribute('href')).toBe('tel:116123');
    expect(await main.getByRole('link', { name: '999' }).first().getAttribute('href')).toBe('tel:999');
    expect(await seriousViolations(page)).toEqual([]);

    const stored = await t.db('measure_responses').where({ user_id: member.id }).first();
    expect(stored).toMatchObject({ status: 'answered', total: 5, band: 'Mild' });
    expect(await t.db('alerts').where({ measure_response_id: stored.id })).toMatchObject([
      { subnet_id: ed, matched: 'PHQ-9 item 9: Several days', acknowledged_at: null },
    ]);
    await page.context().close();

    // The clinician's page shows the alert at once, naming the member and linking to their page
    // (never the answers); the queue lists it with the label and takes the acknowledgement.
    const memberPage = `/subnets/${ed}/members/${member.id}`;
    const banner = clinician.locator(`[id="alert-${memberPage}"]`);
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.textContent()).toContain("Hazel Answers's answer to a questionnaire needs attention now.");
    expect(await banner.getByRole('link', { name: "Go to Hazel Answers's page" }).getAttribute('href')).toBe(
      memberPage,
    );
    expect(await banner.textContent()).not.toContain('Several days');
    await banner.getByRole('link', { name: 'Open the moderation queue' }).click();
    const alert = clinician.locator('.sharon-queue-item', { hasText: 'Hazel Answers' });
    expect(await alert.textContent()).toContain('Questionnaire answer: PHQ-9 item 9: Several days.');
    expect(await seriousViolations(clinician)).toEqual([]);
    await alert.getByRole('button', { name: 'Acknowledge alert about Hazel Answers' }).click();
    await expect
      .poll(async () => (await t.db('alerts').where({ measure_response_id: stored.id }).first()).acknowledged_by)
      .toBe(ids.user('clinician'));
    await clinician.context().close();
  });
});
