/**
 * An instrument as a FHIR R4 Questionnaire, and the codings its answers carry (docs/measures.md,
 * "FHIR export"). Pure: built from the definition alone, so the same instrument has the same
 * Questionnaire in every export and every SHaRON.
 */
import type { Coding, Questionnaire, QuestionnaireItem } from '@medplum/fhirtypes';
import { optionsOf, type InstrumentDefinition, type InstrumentItem, type InstrumentOption } from './instrument.js';

/** The R4 core extension that carries an answer's score ("ordinal value") on its coding. */
export const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

/**
 * The display item carrying the stem ("Over the last 2 weeks…"). A definition's linkIds cannot
 * contain "/", so this one cannot collide with an item's.
 */
export const STEM_LINK_ID = 'stem/';

/** The Questionnaire's canonical URL: stable per instrument key; the version travels beside it. */
export const questionnaireUrl = (d: Pick<InstrumentDefinition, 'key'>): string => `urn:sharon:questionnaire:${d.key}`;

/**
 * The Questionnaire's version identifier: the definition's version with each run of spaces as one
 * hyphen ("Pfizer-1999-(English,-UK)"), because a canonical reference (url|version) holds no spaces.
 */
export const questionnaireVersion = (version: string): string => version.trim().replace(/\s+/g, '-');

/** The canonical reference a QuestionnaireResponse gives: url|version of the wording it answered. */
export const questionnaireCanonical = (key: string, version: string): string =>
  `${questionnaireUrl({ key })}|${questionnaireVersion(version)}`;

/**
 * An answer as a Coding: its code (LOINC answer code for PHQ-9 and GAD-7) where the definition has
 * one, always its published wording as display and its score as ordinalValue. An added instrument
 * without answer codes gets no invented code: display and score only.
 */
export function answerCoding(option: InstrumentOption): Coding {
  return {
    extension: [{ url: ORDINAL_VALUE, valueDecimal: option.score }],
    ...(option.code ? { system: option.code.system, code: option.code.code } : {}),
    display: option.label,
  };
}

/**
 * The option an item's stored score stands for; undefined when the score is none of the item's
 * options, or when two options share it (the stored score cannot say which was chosen).
 */
export function optionForScore(
  d: InstrumentDefinition,
  item: InstrumentItem,
  score: number,
): InstrumentOption | undefined {
  const matches = optionsOf(d, item).filter((o) => o.score === score);
  return matches.length === 1 ? matches[0] : undefined;
}

const questionItem = (d: InstrumentDefinition, item: InstrumentItem): QuestionnaireItem => ({
  linkId: item.linkId,
  ...(item.code ? { code: [{ ...item.code }] } : {}),
  text: item.text,
  type: 'choice',
  required: item.required,
  answerOption: optionsOf(d, item).map((o) => ({ valueCoding: answerCoding(o) })),
});

/** A machine name for the instrument (FHIR's que-0 asks for [A-Z][A-Za-z0-9_]*): "PHQ-9" → "PHQ9". */
const computableName = (d: InstrumentDefinition): string => {
  const name = d.name.replace(/[^A-Za-z0-9_]/g, '');
  return /^[A-Z]/.test(name) ? name : `Q${name}`;
};

/**
 * The instrument as a Questionnaire: its published items and answers with their LOINC codes where
 * the definition has them, each answer's score as ordinalValue, the stem as a display item, and
 * its source and licence.
 */
export function questionnaireOf(d: InstrumentDefinition): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    url: questionnaireUrl(d),
    version: questionnaireVersion(d.version),
    name: computableName(d),
    title: d.name,
    status: 'active',
    subjectType: ['Patient'],
    description: `${d.measures}. Version: ${d.version}. Source: ${d.source}`,
    copyright: d.licence,
    ...(d.code ? { code: [{ ...d.code }] } : {}),
    item: [{ linkId: STEM_LINK_ID, type: 'display', text: d.stem }, ...d.items.map((i) => questionItem(d, i))],
  };
}
