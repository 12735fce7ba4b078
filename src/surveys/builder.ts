import type { FieldError } from '../http/forms.js';
import type { Question } from './surveys.repo.js';

/**
 * Reads questions written one a line, for the questionnaire form:
 *   likert: The groups help me *            (five-point agreement; a trailing * makes it required)
 *   choice: How did you hear of us? | GP; Friend; Online
 *   text: Anything else?
 */
export function parseQuestions(
  source: string,
): { ok: true; questions: Omit<Question, 'id'>[] } | { ok: false; error: FieldError } {
  const lines = source
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) return { ok: false, error: { field: 'questions', message: 'Write at least one question' } };
  if (lines.length > 30)
    return { ok: false, error: { field: 'questions', message: 'A questionnaire can have at most 30 questions' } };
  const questions: Omit<Question, 'id'>[] = [];
  for (const [i, line] of lines.entries()) {
    const m = /^(likert|choice|text)\s*:\s*(.+)$/i.exec(line);
    if (!m?.[1] || !m[2])
      return {
        ok: false,
        error: { field: 'questions', message: `Line ${i + 1} must start with likert:, choice: or text:` },
      };
    let body = m[2].trim();
    const required = body.endsWith('*');
    if (required) body = body.slice(0, -1).trim();
    const kind =
      m[1].toLowerCase() === 'likert' ? 'likert' : m[1].toLowerCase() === 'choice' ? 'single_choice' : 'free_text';
    let options: string[] | null = null;
    if (kind === 'single_choice') {
      const [text, list] = body.split('|');
      options = (list ?? '')
        .split(';')
        .map((o) => o.trim())
        .filter(Boolean);
      if (options.length < 2)
        return {
          ok: false,
          error: { field: 'questions', message: `Line ${i + 1}: give at least two answers after a |, separated by ;` },
        };
      body = (text ?? '').trim();
    }
    if (body.length < 3 || body.length > 500)
      return { ok: false, error: { field: 'questions', message: `Line ${i + 1}: a question is 3 to 500 characters` } };
    questions.push({ position: i + 1, kind, text: body, options, required });
  }
  return { ok: true, questions };
}
