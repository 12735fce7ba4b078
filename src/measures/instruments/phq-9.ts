/**
 * PHQ-9, the Patient Health Questionnaire depression module, in its published wording.
 *
 * Source: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity
 * measure. J Gen Intern Med 2001;16(9):606–613. Developed by Drs Robert L. Spitzer, Janet B.W.
 * Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc.
 * Licence: "No permission required to reproduce, translate, display or distribute" (PHQ Screeners,
 * www.phqscreeners.com). Scoring (0–27, the sum of items 1–9) and severity bands as published;
 * caseness 10 and reliable change 6 as NHS Talking Therapies uses them (docs/measures.md).
 * LOINC panel 44249-1, total 44261-6; items and answers as in that panel.
 */
import { InstrumentDefinition } from '../instrument.js';
import { DIFFICULTY_OPTIONS, DIFFICULTY_TEXT, OVER_THE_LAST_TWO_WEEKS, loinc } from './loinc-frequency.js';

export const PHQ_9: InstrumentDefinition = InstrumentDefinition.parse({
  key: 'phq-9',
  name: 'PHQ-9',
  measures: 'Depression',
  version: 'Pfizer 1999 (English, UK)',
  stem: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  options: OVER_THE_LAST_TWO_WEEKS,
  items: [
    { linkId: '1', text: 'Little interest or pleasure in doing things', code: loinc('44250-9') },
    { linkId: '2', text: 'Feeling down, depressed, or hopeless', code: loinc('44255-8') },
    { linkId: '3', text: 'Trouble falling or staying asleep, or sleeping too much', code: loinc('44259-0') },
    { linkId: '4', text: 'Feeling tired or having little energy', code: loinc('44254-1') },
    { linkId: '5', text: 'Poor appetite or overeating', code: loinc('44251-7') },
    {
      linkId: '6',
      text: 'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      code: loinc('44258-2'),
    },
    {
      linkId: '7',
      text: 'Trouble concentrating on things, such as reading the newspaper or watching television',
      code: loinc('44252-5'),
    },
    {
      linkId: '8',
      text: 'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      code: loinc('44253-3'),
    },
    {
      linkId: '9',
      text: 'Thoughts that you would be better off dead or of hurting yourself in some way',
      code: loinc('44260-8'),
      // Any answer above "Not at all" goes to the care team at once (hazard log H36).
      alertAtOrAbove: 1,
    },
    {
      linkId: '10',
      text: DIFFICULTY_TEXT,
      code: loinc('69722-7'),
      scored: false,
      required: false,
      options: DIFFICULTY_OPTIONS,
    },
  ],
  total: {
    min: 0,
    max: 27,
    higherIsWorse: true,
    code: loinc('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]'),
  },
  bands: [
    { min: 0, max: 4, label: 'Minimal' },
    { min: 5, max: 9, label: 'Mild' },
    { min: 10, max: 14, label: 'Moderate' },
    { min: 15, max: 19, label: 'Moderately severe' },
    { min: 20, max: 27, label: 'Severe' },
  ],
  caseness: 10,
  reliableChange: 6,
  code: loinc('44249-1', 'PHQ-9 quick depression assessment panel [Reported.PHQ]'),
  source:
    'Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure. J Gen Intern Med 2001;16(9):606-613.',
  licence:
    'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute (www.phqscreeners.com).',
});
