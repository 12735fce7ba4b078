import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { TestApp } from '../helpers/app.js';
import { closeBrowserSuite, openBrowserSuite, seriousViolations, signedInPage } from '../helpers/browser.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';
import { score } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';

let t: TestApp;
let base: string;
let browser: Browser;
let ids: Awaited<ReturnType<typeof demoIds>>;
const DAY = 86_400_000;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };

/** PHQ-9 and GAD-7 answers with these totals (item 9 at "Not at all"), scored by the published rule. */
function answers(key: 'phq-9' | 'gad-7', total: number) {
  const d = key === 'phq-9' ? PHQ_9 : GAD_7;
  const items: Record<string, number> = {};
  let left = total;
  for (const item of d.items.filter((i) => i.scored)) {
    items[item.linkId] = item.alertAtOrAbove === undefined ? Math.min(3, left) : 0;
    left -= items[item.linkId] ?? 0;
  }
  const s = score(d, items);
  return {
    instrument_key: key,
    instrument_version: d.version,
    item_scores: JSON.stringify(items),
    total: s.total,
    band: s.band,
  };
}

beforeAll(async () => {
  ({ t, base, browser, ids } = await openBrowserSuite());
  // Six members of Eating Disorders scored a month ago and two days ago: five reliably improved.
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 6; i++) {
    const m = await makeUser(t.db, {
      subnetId: ids.subnet('eating-disorders'),
      cohortId: ids.cohort('eating-disorders/bulimia'),
    });
    for (const [daysAgo, phq, gad] of [
      [30, 16, 12],
      [2, i < 5 ? 7 : 15, i < 5 ? 6 : 12],
    ] as const) {
      const at = new Date(Date.now() - daysAgo * DAY);
      for (const a of [answers('phq-9', phq), answers('gad-7', gad)])
        rows.push({
          user_id: m.id,
          subnet_id: ids.subnet('eating-disorders'),
          due_at: at,
          answered_at: at,
          status: 'answered',
          ...a,
        });
    }
  }
  await t.db('measure_responses').insert(rows);
});
afterAll(() => closeBrowserSuite({ t, browser }));

describe('reliable change on the evaluation dashboard in a real browser', () => {
  it('shows the figures in a named chart and a table a screen reader can follow, with no serious axe violation, and it fits a phone', async () => {
    const path = `/evaluation?subnet=${ids.subnet('eating-disorders')}`;
    const page = await signedInPage(browser, base, 'clinician');
    await page.goto(`${base}${path}`);
    const table = page.getByRole('table', { name: /Members with paired scores/ });
    expect(await table.getByRole('rowheader').count()).toBe(3);
    const low = table.getByRole('row', { name: /Active in under a quarter of weeks/ });
    expect((await low.getByRole('cell').nth(1).innerText()).trim()).toBe('5: 83.3% (95% CI 43.6% to 97.0%)');
    const chart = page.getByRole('img', { name: 'Reliable improvement, by the share of weeks active' });
    expect(await chart.locator('circle').count()).toBe(1);
    await page.getByText('How these figures are worked out').click();
    expect(await page.getByText('Caseness: PHQ-9 of 10 or more, or GAD-7 of 8 or more.').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();

    const phone = await signedInPage(browser, base, 'clinician', PHONE);
    await phone.goto(`${base}${path}`);
    const box = await phone.locator('#reliable-change-table').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.context().close();
  });
});
