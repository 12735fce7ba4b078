import type { FieldError } from '../http/forms.js';
import type { Question, QuestionKind } from './surveys.repo.js';
import { MAX_OPTIONS, MAX_QUESTIONS, QUESTION_KINDS, type BuilderInput } from './builder.schemas.js';

/** A question as the builder holds it while it is being written: every field as typed. */
export interface DraftQuestion {
  text: string;
  kind: QuestionKind | '';
  required: boolean;
  options: string[];
}

/** The questionnaire being written: the schedule fields as typed and the questions in order. */
export interface Draft {
  title: string;
  firstAfterDays: string;
  repeatEveryDays: string;
  questions: DraftQuestion[];
}

/** A new, empty question: two empty option fields ready for "one of several options". */
export const blankQuestion = (): DraftQuestion => ({ text: '', kind: '', required: false, options: ['', ''] });

/** An empty builder: one blank question and the usual schedule. */
export const blankDraft = (): Draft => ({
  title: '',
  firstAfterDays: '28',
  repeatEveryDays: '91',
  questions: [blankQuestion()],
});

const isKind = (k: string | undefined): k is QuestionKind => (QUESTION_KINDS as readonly string[]).includes(k ?? '');

/** Options with at least two fields to type in. */
const padded = (options: string[]) => [...options, '', ''].slice(0, Math.max(2, options.length));

/** The builder's flat fields (q1-text, q1-option-2...) as a draft, in question and option order. */
export function readDraft(body: BuilderInput): Draft {
  const numbers = (re: RegExp) =>
    [...new Set(Object.keys(body).flatMap((k) => (re.exec(k)?.[1] ? [Number(re.exec(k)?.[1])] : [])))].sort(
      (a, b) => a - b,
    );
  const questions = numbers(/^q(\d+)-/).map((n) => {
    const kind = body[`q${n}-kind`];
    return {
      text: body[`q${n}-text`] ?? '',
      kind: isKind(kind) ? kind : ('' as const),
      required: body[`q${n}-required`] === 'yes',
      options: padded(numbers(new RegExp(`^q${n}-option-(\\d+)$`)).map((m) => body[`q${n}-option-${m}`] ?? '')),
    };
  });
  return {
    title: body.title ?? '',
    firstAfterDays: body.firstAfterDays ?? '',
    repeatEveryDays: body.repeatEveryDays ?? '',
    questions: questions.slice(0, MAX_QUESTIONS),
  };
}

/** Moves item i of a list by one place (up: -1, down: +1); out of range leaves it as it is. */
function moved<T>(list: T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (i < 0 || j < 0 || i >= list.length || j >= list.length) return list;
  const copy = [...list];
  [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  return copy;
}

/**
 * Applies one of the builder's buttons to a draft (question and option numbers count from 1):
 * add a question, remove or move one, add or remove an option. Returns the new draft and the
 * field to focus next; save and preview leave the draft as it is.
 */
export function applyAction(draft: Draft, action: string): { draft: Draft; focus?: string } {
  const [verb, a, b] = (/^([a-z-]+?)(?:-(\d+))?(?:-(\d+))?$/.exec(action) ?? []).slice(1);
  const qi = Number(a) - 1;
  const qs = draft.questions;
  const withQuestion = (fn: (q: DraftQuestion) => DraftQuestion) => qs.map((q, i) => (i === qi ? fn(q) : q));
  switch (verb) {
    case 'add-question':
      if (qs.length >= MAX_QUESTIONS) return { draft };
      return { draft: { ...draft, questions: [...qs, blankQuestion()] }, focus: `q${qs.length + 1}-text` };
    case 'remove-question':
      return { draft: { ...draft, questions: qs.filter((_, i) => i !== qi) }, focus: 'questions' };
    case 'up':
    case 'down':
      return { draft: { ...draft, questions: moved(qs, qi, verb === 'up' ? -1 : 1) }, focus: 'questions' };
    case 'add-option': {
      const n = (qs[qi]?.options.length ?? MAX_OPTIONS) + 1;
      if (n > MAX_OPTIONS) return { draft };
      const questions = withQuestion((q) => ({ ...q, options: [...q.options, ''] }));
      return { draft: { ...draft, questions }, focus: `q${qi + 1}-option-${n}` };
    }
    case 'remove-option': {
      const questions = withQuestion((q) => ({ ...q, options: q.options.filter((_, j) => j !== Number(b) - 1) }));
      return { draft: { ...draft, questions }, focus: `q${qi + 1}-option-1` };
    }
    default:
      return { draft };
  }
}

/** The problems of one question, each naming the question and the exact field. */
function questionProblems(q: DraftQuestion, n: number): FieldError[] {
  const at = (field: string, message: string) => ({ field: `q${n}-${field}`, message: `Question ${n}: ${message}` });
  const problems: FieldError[] = [];
  const text = q.text.trim();
  if (text.length < 3) problems.push(at('text', 'enter the question, at least 3 characters'));
  else if (text.length > 500) problems.push(at('text', 'the question must be 500 characters or fewer'));
  if (!q.kind) problems.push(at('kind', 'choose the type of answer'));
  if (q.kind !== 'single_choice') return problems;
  const options = q.options.map((o) => o.trim());
  options.forEach((o, i) => {
    if (o.length > 200) problems.push(at(`option-${i + 1}`, `option ${i + 1} must be 200 characters or fewer`));
    const first = options.findIndex((p) => p !== '' && p.toLowerCase() === o.toLowerCase());
    if (o && first < i) problems.push(at(`option-${i + 1}`, `option ${i + 1} is the same as option ${first + 1}`));
  });
  if (options.filter(Boolean).length < 2)
    problems.push(at(`option-${options.findIndex((o) => !o) + 1 || 1}`, 'give at least 2 options to choose from'));
  return problems;
}

/**
 * Checks the questions of a draft for saving. Returns them ready to store (empty option fields
 * dropped, options kept only for "one of several options"), or every problem at once.
 */
export function draftQuestions(
  draft: Draft,
): { ok: true; questions: Omit<Question, 'id'>[] } | { ok: false; errors: FieldError[] } {
  if (draft.questions.length === 0)
    return { ok: false, errors: [{ field: 'questions', message: 'Add at least one question' }] };
  const errors = draft.questions.flatMap((q, i) => questionProblems(q, i + 1));
  if (errors.length) return { ok: false, errors };
  const questions = draft.questions.map((q, i) => ({
    position: i + 1,
    kind: q.kind as QuestionKind,
    text: q.text.trim(),
    options: q.kind === 'single_choice' ? q.options.map((o) => o.trim()).filter(Boolean) : null,
    required: q.required,
  }));
  return { ok: true, questions };
}
