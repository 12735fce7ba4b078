/**
 * The answer options PHQ-9 and GAD-7 share, with their published scores and LOINC answer codes
 * (LOINC answer list LL358-3, "Not at all" … "Nearly every day").
 */
import type { InstrumentOption } from '../instrument.js';

const LOINC = 'http://loinc.org';

export const OVER_THE_LAST_TWO_WEEKS: InstrumentOption[] = [
  { label: 'Not at all', score: 0, code: { system: LOINC, code: 'LA6568-5', display: 'Not at all' } },
  { label: 'Several days', score: 1, code: { system: LOINC, code: 'LA6569-3', display: 'Several days' } },
  {
    label: 'More than half the days',
    score: 2,
    code: { system: LOINC, code: 'LA6570-1', display: 'More than half the days' },
  },
  { label: 'Nearly every day', score: 3, code: { system: LOINC, code: 'LA6571-9', display: 'Nearly every day' } },
];

/** The closing question both measures ask and do not score. */
export const DIFFICULTY_OPTIONS: InstrumentOption[] = [
  {
    label: 'Not difficult at all',
    score: 0,
    code: { system: LOINC, code: 'LA6572-7', display: 'Not difficult at all' },
  },
  { label: 'Somewhat difficult', score: 1, code: { system: LOINC, code: 'LA6573-5', display: 'Somewhat difficult' } },
  { label: 'Very difficult', score: 2, code: { system: LOINC, code: 'LA6574-3', display: 'Very difficult' } },
  { label: 'Extremely difficult', score: 3, code: { system: LOINC, code: 'LA6575-0', display: 'Extremely difficult' } },
];

export const DIFFICULTY_TEXT =
  'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?';

export const loinc = (code: string, display?: string) => ({ system: LOINC, code, ...(display ? { display } : {}) });
