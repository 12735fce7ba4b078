import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { up } from '../../migrations/20261121006100_crisis_contacts_after_defaults.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const OLD =
  'If you need help now: call NHS 111 and choose option 2 for mental health crisis support. Call Samaritans free on 116 123, any time. In an emergency, call 999.';
const ownOf = async (slug: string) => (await t.db('subnets').where({ slug }).first('crisis_contacts')).crisis_contacts;

describe("clearing the old UK sentence from services' own crisis contacts", () => {
  it('clears exactly the old UK default sentence (shown first anyway) and keeps any other text as written', async () => {
    await t.db('subnets').where({ slug: 'perinatal' }).update({ crisis_contacts: OLD });
    await t
      .db('subnets')
      .where({ slug: 'camhs' })
      .update({ crisis_contacts: `${OLD}\nCAMHS crisis line 0161 496 0999` });
    await up(t.db);
    expect(await ownOf('perinatal')).toBe('');
    expect(await ownOf('camhs')).toBe(`${OLD}\nCAMHS crisis line 0161 496 0999`);
    expect(await ownOf('eating-disorders')).toBe(
      'Eating Disorders duty team (Monday to Friday, 9am to 5pm): 0161 496 0123',
    );
  });
});
