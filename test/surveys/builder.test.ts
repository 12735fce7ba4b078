import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { applyAction, blankDraft, draftQuestions, readDraft } from '../../src/surveys/builder.js';

describe('the questionnaire builder, as data', () => {
  const body = {
    title: 'After group',
    'q1-text': 'The group helped me',
    'q1-kind': 'likert',
    'q1-required': 'yes',
    'q2-text': 'Which helps most?',
    'q2-kind': 'single_choice',
    'q2-option-1': 'Living room',
    'q2-option-2': '',
    'q2-option-3': 'Library',
  };

  it('reads the flat fields in question and option order, and saves without the empty option', () => {
    const draft = readDraft(body);
    expect(draft.questions.map((q) => q.text)).toEqual(['The group helped me', 'Which helps most?']);
    expect(draftQuestions(draft)).toEqual({
      ok: true,
      questions: [
        { position: 1, kind: 'likert', text: 'The group helped me', options: null, required: true },
        {
          position: 2,
          kind: 'single_choice',
          text: 'Which helps most?',
          options: ['Living room', 'Library'],
          required: false,
        },
      ],
    });
  });

  it('adds, moves and removes questions and options, naming the field to focus', () => {
    const draft = readDraft(body);
    const added = applyAction(draft, 'add-question');
    expect(added.draft.questions).toHaveLength(3);
    expect(added.focus).toBe('q3-text');
    expect(applyAction(draft, 'down-1').draft.questions.map((q) => q.kind)).toEqual(['single_choice', 'likert']);
    expect(applyAction(draft, 'up-1').draft.questions.map((q) => q.kind)).toEqual(['likert', 'single_choice']);
    expect(applyAction(draft, 'remove-question-1').draft.questions.map((q) => q.text)).toEqual(['Which helps most?']);
    expect(applyAction(draft, 'add-option-2')).toMatchObject({ focus: 'q2-option-4' });
    expect(applyAction(draft, 'remove-option-2-1').draft.questions[1]?.options).toEqual(['', 'Library']);
    expect(applyAction(blankDraft(), 'preview').draft).toEqual(blankDraft());
  });

  it('names every problem with its question and exact field', () => {
    const r = draftQuestions(
      readDraft({
        'q1-text': 'ok',
        'q2-text': 'Pick one',
        'q2-kind': 'single_choice',
        'q2-option-1': 'Yes',
        'q2-option-2': 'yes',
        'q3-text': 'Only one option',
        'q3-kind': 'single_choice',
        'q3-option-1': 'A',
        'q3-option-2': '',
      }),
    );
    expect(r.ok ? [] : r.errors).toEqual([
      { field: 'q1-text', message: 'Question 1: enter the question, at least 3 characters' },
      { field: 'q1-kind', message: 'Question 1: choose the type of answer' },
      { field: 'q2-option-2', message: 'Question 2: option 2 is the same as option 1' },
      { field: 'q3-option-2', message: 'Question 3: give at least 2 options to choose from' },
    ]);
  });
});

let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await demoIds(t.db);
});
afterAll(async () => {
  await t.close();
});

describe('the questionnaire builder over HTTP (no JavaScript needed)', () => {
  const list = () => `/subnets/${ids.subnet('eating-disorders')}/questionnaires`;

  it('"Add another question" and "Add option" come back with every value kept; save lands on a confirmation', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const first = await clinician.get(list());
    expect(first.status).toBe(200);
    expect(first.text).toContain('id="q1-text"');
    expect(first.text).not.toContain('likert:');
    const typed = {
      title: 'Evenings',
      firstAfterDays: '7',
      repeatEveryDays: '',
      'q1-text': 'Pick a time',
      'q1-kind': 'single_choice',
      'q1-option-1': 'Early',
      'q1-option-2': 'Late',
    };
    const more = await postForm(clinician, list(), { ...typed, action: 'add-option-1' }, list());
    expect(more.status).toBe(200);
    expect(more.text).toContain('name="q1-option-3" type="text" value=""');
    expect(more.text).toContain('value="Pick a time"');
    expect(more.text).toContain('name="q1-option-2" type="text" value="Late"');
    const two = await postForm(clinician, list(), { ...typed, 'q1-option-3': 'Night', action: 'add-question' }, list());
    expect(two.text).toContain('id="q2-text"');
    expect(two.text).toContain('value="Night"');
    expect(two.text).toContain('Question 2 of 2');
    const preview = await postForm(
      clinician,
      list(),
      { ...typed, 'q1-option-3': 'Night', 'q2-text': 'Anything else?', 'q2-kind': 'free_text', action: 'preview' },
      list(),
    );
    expect(preview.text).toContain('Preview: what members will see');
    expect(preview.text).toMatch(/<legend[^>]*>Pick a time \(optional\)<\/legend>/);
    expect(preview.text).toContain('id="preview-q-1-3"');
    expect(await t.db('questionnaires').where({ title: 'Evenings' }).first()).toBeUndefined();
    const saved = await postForm(
      clinician,
      list(),
      { ...typed, 'q1-option-3': 'Night', 'q2-text': 'Anything else?', 'q2-kind': 'free_text', action: 'save' },
      list(),
    );
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(/\/questionnaires\/[0-9a-f-]{36}\?done=created$/);
    const landed = await clinician.get(String(saved.headers.location));
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Questionnaire saved.');
    const q = await t.db('questionnaires').where({ title: 'Evenings' }).first();
    const questions = await t.db('questions').where({ questionnaire_id: q.id }).orderBy('position');
    expect(questions.map((r) => [r.kind, r.text, r.options])).toEqual([
      ['single_choice', 'Pick a time', ['Early', 'Late', 'Night']],
      ['free_text', 'Anything else?', null],
    ]);
    expect(await t.db('audit_log').where({ action: 'questionnaire.create', target_id: q.id }).first()).toBeTruthy();
  });

  it('a save with problems answers 400, names the question and field in the summary, and keeps the input', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await postForm(
      clinician,
      list(),
      {
        title: 'Hi',
        firstAfterDays: '',
        'q1-text': 'Fine?',
        'q1-kind': 'likert',
        'q2-text': 'Which?',
        'q2-kind': 'single_choice',
        'q2-option-1': 'Only',
        action: 'save',
      },
      list(),
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain('<a href="#title">Enter a title of at least 3 characters</a>');
    expect(res.text).toContain('<a href="#firstAfterDays">Enter a number of days</a>');
    expect(res.text).toContain('<a href="#q2-option-2">Question 2: give at least 2 options to choose from</a>');
    expect(res.text).toContain('id="q2-option-2"');
    expect(res.text).toContain('value="Which?"');
    expect(res.text).toContain('value="Only"');
  });

  it('a forged field name or action is refused and nothing is stored; members and peer moderators get 404', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await t.db('questionnaires').count({ n: '*' }).first();
    const forged = await postForm(clinician, list(), { title: 'Forged', 'q1-text': 'x', role: 'admin' }, list());
    expect(forged.status).toBe(400);
    const badAction = await postForm(clinician, list(), { title: 'Forged', action: 'drop-table' }, list());
    expect(badAction.status).toBe(400);
    expect(await t.db('questionnaires').count({ n: '*' }).first()).toEqual(before);
    for (const u of ['peermod', 'anna']) expect((await (await signIn(t.app, u)).get(list())).status).toBe(404);
  });
});
