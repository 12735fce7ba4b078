import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('service hours are entered once', () => {
  it('the admin form has no free-text hours; members read the text made from the HH:MM fields and days', async () => {
    const admin = await signIn(t.app, 'admin');
    const page = `/admin/subnets/${ids.subnet('eating-disorders')}`;
    const form = await admin.get(page);
    expect(form.text).not.toContain('name="serviceHours"');
    const subnet = await t
      .db('subnets')
      .where({ id: ids.subnet('eating-disorders') })
      .first();
    const saved = await postForm(
      admin,
      page,
      {
        name: subnet.name,
        slug: subnet.slug,
        description: subnet.description,
        crisisContacts: subnet.crisis_contacts,
        serviceHours: 'Always open', // an old form's free text: ignored
        hoursStart: '08:00',
        hoursEnd: '20:00',
        hoursDays: ['1', '3', '5'],
      },
      page,
    );
    expect(saved.status).toBe(303);
    const text = 'Monday, Wednesday, Friday, 08:00 to 20:00';
    expect((await admin.get(page)).text).toContain(`now: ${text}.`);
    expect((await t.db('subnets').where({ id: subnet.id }).first()).service_hours).toBe(text);
    const help = await (await signIn(t.app, 'anna')).get('/help');
    expect(help.text).toContain(`Eating Disorders: ${text}`);
    expect(help.text).not.toContain('Always open');
  });
});
