import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeUser } from '../helpers/factories.js';
import { freeTextResult, shuffled, type RandomIndex } from '../../src/surveys/free-text.js';

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let clinician: TestAgent;
let questionnaireId = '';
const ed = () => ids.subnet('eating-disorders');
const list = () => `/subnets/${ed()}/questionnaires`;
const results = () => `${list()}/${questionnaireId}`;

// Five members of Eating Disorders: anna (Willow) from the demo, four made here. Each answers
// through the real form, in this order.
const EXTRA = [
  ['robin', 'Robin'],
  ['heron', 'Heron'],
  ['kestrel', 'Kestrel'],
  ['wren', 'Wren'],
] as const;
const ANSWERERS = [['anna', 'Willow'], ...EXTRA] as const;
const TEXTS = [
  'Someone online after 9pm',
  'More evening groups',
  'A quiet room for bad nights',
  'Shorter waits for replies',
  'Tips from people who recovered',
];
const textOf = (username: string) => TEXTS[ANSWERERS.findIndex(([u]) => u === username)] ?? '';

beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
  for (const [username, nickname] of EXTRA)
    await makeUser(t.db, { username, nickname, subnetId: ed(), cohortId: ids.cohort('eating-disorders/anorexia') });
  clinician = await signIn(t.app, 'clinician');
  const made = await postForm(
    clinician,
    list(),
    {
      title: 'After group',
      firstAfterDays: '0',
      repeatEveryDays: '',
      'q1-text': 'The group helped me',
      'q1-kind': 'likert',
      'q2-text': 'What would make evenings easier?',
      'q2-kind': 'free_text',
    },
    list(),
  );
  expect(made.status).toBe(303);
  questionnaireId = /questionnaires\/([0-9a-f-]{36})/.exec(String(made.headers.location))?.[1] ?? '';
});
afterAll(async () => {
  await t.close();
});

async function answer(username: string): Promise<void> {
  const member = await signIn(t.app, username);
  const form = `/surveys/${questionnaireId}?subnet=${ed()}`;
  const res = await postForm(
    member,
    `/surveys/${questionnaireId}`,
    { subnet: ed(), 'q-1': '4', 'q-2': textOf(username) },
    form,
  );
  expect(res.status).toBe(303);
}

/** The part of the results page about the written question (up to the page's end of content). */
const writtenSection = (html: string) =>
  html.slice(html.indexOf('What would make evenings easier?'), html.indexOf('</main>'));
const answersInOrder = (html: string) =>
  [...html.matchAll(/<li class="sharon-post__body">([^<]*)<\/li>/g)].map((m) => m[1] ?? '');
const DATE =
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b/;

describe('written survey answers cannot single anyone out', () => {
  it('a member is told, beside the written question, how their answer will be shown', async () => {
    const form = await (await signIn(t.app, 'anna')).get(`/surveys/${questionnaireId}?subnet=${ed()}`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(
      /<label class="nhsuk-label" for="q-2">What would make evenings easier\? \(optional\)<\/label>\s*<div class="nhsuk-hint" id="q-2-hint">Your answer is shown to staff without your nickname or the date, mixed with others, and only once at least 5 people have answered.<\/div>/,
    );
    expect(form.text).toContain('aria-describedby="q-2-hint"');
  });

  it('with fewer than 5 written answers none is shown, and how many there are is shown only as "<5"', async () => {
    for (const [username] of ANSWERERS.slice(0, 4)) await answer(username);
    const page = await clinician.get(results());
    expect(page.status).toBe(200);
    for (const [username] of ANSWERERS) expect(page.text).not.toContain(textOf(username));
    const section = writtenSection(page.text);
    expect(section).toContain(
      'Written answers so far: &lt;5. They are shown once at least 5 people have answered this question',
    );
    expect(section).not.toMatch(/\b4\b/);
  });

  it('with 5 written answers all are shown, with no nickname, username or date beside them, in an order that changes between views', async () => {
    await answer(ANSWERERS[4][0]);
    const inserted = ANSWERERS.map(([username]) => textOf(username));
    const orders: string[][] = [];
    for (let i = 0; i < 8; i++) {
      const page = await clinician.get(results());
      expect(page.status).toBe(200);
      const section = writtenSection(page.text);
      const shown = answersInOrder(section);
      expect([...shown].sort()).toEqual([...inserted].sort());
      for (const [username, nickname] of ANSWERERS) {
        expect(page.text).not.toContain(nickname);
        expect(section).not.toContain(`>${username}<`);
      }
      expect(section.replace(/<li class="sharon-post__body">[^<]*<\/li>/g, '')).not.toMatch(DATE);
      orders.push(shown);
    }
    // Not time order, not id order: at least one view differs from the order they were written in
    // (all 8 matching by chance: 1 in 120^8).
    expect(orders.some((o) => o.join('|') !== inserted.join('|'))).toBe(true);
    expect(new Set(orders.map((o) => o.join('|'))).size).toBeGreaterThan(1);
  });
});

/** A small seeded generator (mulberry32), so an order can be predicted in a test. */
function seeded(seed: number): RandomIndex {
  let a = seed;
  return (below) => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return Math.floor((((x ^ (x >>> 14)) >>> 0) / 4294967296) * below);
  };
}

describe('the order of written answers', () => {
  it('a seeded shuffle keeps every answer once and follows its random source, not the order given', () => {
    const texts = ['a', 'b', 'c', 'd', 'e', 'f'];
    const first = shuffled(texts, seeded(7));
    expect([...first].sort()).toEqual(texts);
    expect(shuffled(texts, seeded(7))).toEqual(first);
    expect(first).not.toEqual(texts);
    // Always taking the last remaining answer reverses them: the order comes from the source alone.
    expect(shuffled(texts, (below) => below - 1)).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(texts).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('below 5 answers nothing is shown and the count is suppressed; from 5 every answer is shown', () => {
    expect(freeTextResult([], seeded(1))).toEqual({ shown: false, count: '0' });
    for (const n of [1, 2, 3, 4])
      expect(
        freeTextResult(
          Array.from({ length: n }, (_, i) => `t${i}`),
          seeded(1),
        ),
      ).toEqual({ shown: false, count: '<5' });
    const five = freeTextResult(['1', '2', '3', '4', '5'], seeded(3));
    expect(five.shown).toBe(true);
    if (five.shown) expect([...five.answers].sort()).toEqual(['1', '2', '3', '4', '5']);
  });
});
