/**
 * GAD-7, the Generalized Anxiety Disorder 7-item scale, in its published wording.
 *
 * Source: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized
 * anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092–1097. Developed with an
 * educational grant from Pfizer Inc. Licence: "No permission required to reproduce, translate,
 * display or distribute" (PHQ Screeners, www.phqscreeners.com). Scoring (0–21, the sum of items
 * 1–7) and severity bands as published; caseness 8 and reliable change 4 as NHS Talking Therapies
 * uses them (docs/measures.md). LOINC panel 69737-5, total 70274-6.
 */
import { InstrumentDefinition } from '../instrument.js';
import { DIFFICULTY_OPTIONS, DIFFICULTY_TEXT, OVER_THE_LAST_TWO_WEEKS, loinc } from './loinc-frequency.js';

export const GAD_7: InstrumentDefinition = InstrumentDefinition.parse({
  key: 'gad-7',
  name: 'GAD-7',
  measures: 'Anxiety',
  version: 'Pfizer 2006 (English, UK)',
  stem: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  options: OVER_THE_LAST_TWO_WEEKS,
  items: [
    { linkId: '1', text: 'Feeling nervous, anxious or on edge', code: loinc('69725-0') },
    { linkId: '2', text: 'Not being able to stop or control worrying', code: loinc('68509-9') },
    { linkId: '3', text: 'Worrying too much about different things', code: loinc('69733-4') },
    { linkId: '4', text: 'Trouble relaxing', code: loinc('69734-2') },
    { linkId: '5', text: 'Being so restless that it is hard to sit still', code: loinc('69735-9') },
    { linkId: '6', text: 'Becoming easily annoyed or irritable', code: loinc('69689-8') },
    { linkId: '7', text: 'Feeling afraid as if something awful might happen', code: loinc('69736-7') },
    {
      linkId: '8',
      text: DIFFICULTY_TEXT,
      code: loinc('69726-8'),
      scored: false,
      required: false,
      options: DIFFICULTY_OPTIONS,
    },
  ],
  total: {
    min: 0,
    max: 21,
    higherIsWorse: true,
    code: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
  },
  bands: [
    { min: 0, max: 4, label: 'Minimal' },
    { min: 5, max: 9, label: 'Mild' },
    { min: 10, max: 14, label: 'Moderate' },
    { min: 15, max: 21, label: 'Severe' },
  ],
  caseness: 8,
  reliableChange: 4,
  code: loinc('69737-5', 'Generalized anxiety disorder 7 item (GAD-7)'),
  source:
    'Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety disorder: the GAD-7. Arch Intern Med 2006;166(10):1092-1097.',
  licence:
    'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute (www.phqscreeners.com).',
});
