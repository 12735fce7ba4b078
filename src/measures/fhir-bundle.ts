/**
 * A member's outcome measures as a FHIR R4 Bundle (type collection) for the trust's record: one
 * Patient (no name: the membership's private reference as identifier, else SHaRON's id only), a
 * Questionnaire per instrument answered, and per answered occurrence a QuestionnaireResponse and an
 * Observation of its total. Declined occurrences are not exported (docs/measures.md, "FHIR export").
 * Pure: no I/O; the caller loads, authorises and audits.
 */
import { randomUUID } from 'node:crypto';
import type {
  Bundle,
  BundleEntry,
  Identifier,
  Observation,
  Patient,
  QuestionnaireResponse,
  QuestionnaireResponseItem,
  Resource,
} from '@medplum/fhirtypes';
import type { InstrumentDefinition } from './instrument.js';
import type { MeasureResponse } from './measure-response.js';
import { answerCoding, optionForScore, questionnaireCanonical, questionnaireOf } from './fhir-questionnaire.js';

/** Identifier system of a SHaRON account id (its value is `urn:uuid:<id>`, an absolute URI). */
const URI_SYSTEM = 'urn:ietf:rfc:3986';
/** Identifier system of a stored response, so the trust's system can tell a re-import from a new answer. */
export const RESPONSE_IDENTIFIER_SYSTEM = 'urn:sharon:measure-response';
const SURVEY = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }],
};

export interface MeasuresBundleInput {
  member: { id: string; privateReference: string | null };
  /** Patient.identifier.system for the private reference (config FHIR_PATIENT_IDENTIFIER_SYSTEM). */
  identifierSystem: string;
  /** The member's responses in one subnet, oldest first (declined ones are skipped). */
  responses: readonly MeasureResponse[];
  /** Definitions by instrument key; a key without one exports its totals only. */
  instruments: ReadonlyMap<string, InstrumentDefinition>;
  now: Date;
  /** Fresh UUIDs for the entries' urn:uuid fullUrls (tests may pass their own). */
  newId?: () => string;
}

export interface MeasuresBundleCounts {
  resources: number;
  questionnaires: number;
  questionnaireResponses: number;
  observations: number;
  /** Answered occurrences exported as a total only: their wording is not the definition SHaRON holds now. */
  totalsOnly: number;
}

/** The Patient: never a name; the private reference when recorded, and always SHaRON's account id. */
function patientOf(input: MeasuresBundleInput): Patient {
  const identifier: Identifier[] = [];
  if (input.member.privateReference)
    identifier.push({ use: 'usual', system: input.identifierSystem, value: input.member.privateReference });
  identifier.push({
    use: 'secondary',
    type: { text: 'SHaRON account id' },
    system: URI_SYSTEM,
    value: `urn:uuid:${input.member.id}`,
  });
  return { resourceType: 'Patient', identifier };
}

/**
 * The answered items of a response, each coded from the definition; undefined when the response
 * cannot be itemised faithfully (another version of the wording, or a score no single option has).
 */
function itemsOf(d: InstrumentDefinition | undefined, r: MeasureResponse): QuestionnaireResponseItem[] | undefined {
  if (!d || d.version !== r.instrumentVersion || !r.itemScores) return undefined;
  const items: QuestionnaireResponseItem[] = [];
  for (const item of d.items) {
    const score = r.itemScores[item.linkId];
    if (score === undefined) continue;
    const option = optionForScore(d, item, score);
    if (!option) return undefined;
    items.push({ linkId: item.linkId, text: item.text, answer: [{ valueCoding: answerCoding(option) }] });
  }
  return items;
}

function observationOf(
  d: InstrumentDefinition | undefined,
  r: MeasureResponse & { total: number },
  patient: string,
  responseUrl: string | undefined,
): Observation {
  const title = `${d?.name ?? r.instrumentKey} total score`;
  return {
    resourceType: 'Observation',
    identifier: [{ system: RESPONSE_IDENTIFIER_SYSTEM, value: `${r.id}/total` }],
    status: 'final',
    category: [SURVEY],
    code: d?.total.code ? { coding: [{ ...d.total.code }], text: title } : { text: title },
    subject: { reference: patient, type: 'Patient' },
    effectiveDateTime: r.answeredAt.toISOString(),
    performer: [{ reference: patient, type: 'Patient' }],
    valueInteger: r.total,
    ...(r.band ? { interpretation: [{ text: r.band }], note: [{ text: `Severity band: ${r.band}` }] } : {}),
    ...(responseUrl ? { derivedFrom: [{ reference: responseUrl, type: 'QuestionnaireResponse' }] } : {}),
  };
}

function responseOf(r: MeasureResponse, items: QuestionnaireResponseItem[], patient: string): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    identifier: { system: RESPONSE_IDENTIFIER_SYSTEM, value: r.id },
    questionnaire: questionnaireCanonical(r.instrumentKey, r.instrumentVersion),
    status: 'completed',
    subject: { reference: patient, type: 'Patient' },
    authored: r.answeredAt.toISOString(),
    source: { reference: patient, type: 'Patient' },
    item: items,
  };
}

/**
 * Builds the Bundle and says what is in it (counts only, for the audit row: never scores).
 * Every reference is to an entry's urn:uuid fullUrl inside the Bundle.
 */
export function buildMeasuresBundle(input: MeasuresBundleInput): { bundle: Bundle; counts: MeasuresBundleCounts } {
  const newId = input.newId ?? randomUUID;
  const entry = (resource: Resource): BundleEntry & { fullUrl: string } => ({
    fullUrl: `urn:uuid:${newId()}`,
    resource,
  });
  const patient = entry(patientOf(input));
  const questionnaires = new Map<string, BundleEntry>();
  const answers: BundleEntry[] = [];
  const counts = { questionnaireResponses: 0, observations: 0, totalsOnly: 0 };
  for (const r of input.responses) {
    // A decline has no answer to export; an answered row always has its total (a CHECK holds it).
    if (r.status !== 'answered' || r.total === null) continue;
    const d = input.instruments.get(r.instrumentKey);
    const items = itemsOf(d, r);
    let responseUrl: string | undefined;
    if (d && items) {
      if (!questionnaires.has(d.key)) questionnaires.set(d.key, entry(questionnaireOf(d)));
      const qr = entry(responseOf(r, items, patient.fullUrl));
      answers.push(qr);
      responseUrl = qr.fullUrl;
      counts.questionnaireResponses++;
    } else counts.totalsOnly++;
    answers.push(entry(observationOf(d, { ...r, total: r.total }, patient.fullUrl, responseUrl)));
    counts.observations++;
  }
  const entries = [patient, ...questionnaires.values(), ...answers];
  return {
    bundle: {
      resourceType: 'Bundle',
      identifier: { system: URI_SYSTEM, value: `urn:uuid:${newId()}` },
      type: 'collection',
      timestamp: input.now.toISOString(),
      entry: entries,
    },
    counts: { resources: entries.length, questionnaires: questionnaires.size, ...counts },
  };
}
