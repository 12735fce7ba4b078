import { describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient, Questionnaire, QuestionnaireResponse, Resource } from '@medplum/fhirtypes';
import { buildMeasuresBundle, type MeasuresBundleInput } from '../../src/measures/fhir-bundle.js';
import { ORDINAL_VALUE, questionnaireVersion } from '../../src/measures/fhir-questionnaire.js';
import { InstrumentDefinition, score } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import type { MeasureResponse } from '../../src/measures/measure-response.js';
import { bundleProblems, fhirIssues } from '../helpers/fhir.js';

const MEMBER = '6f1c2b9e-3d4a-4b5c-8d7e-9f0a1b2c3d4e';
const SUBNET = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
let nextId = 1;

/** An answered occurrence, scored by the instrument's published rule. */
function answered(d: InstrumentDefinition, itemScores: Record<string, number>, answeredAt: string): MeasureResponse {
  const s = score(d, itemScores);
  return {
    id: String(nextId++),
    userId: MEMBER,
    subnetId: SUBNET,
    instrumentKey: d.key,
    instrumentVersion: d.version,
    dueAt: new Date(answeredAt),
    status: 'answered',
    itemScores,
    total: s.total,
    band: s.band,
    answeredAt: new Date(answeredAt),
  };
}

const declined = (d: InstrumentDefinition, answeredAt: string): MeasureResponse => ({
  ...answered(d, Object.fromEntries(d.items.filter((i) => i.required).map((i) => [i.linkId, 0])), answeredAt),
  status: 'declined',
  itemScores: null,
  total: null,
  band: null,
});

// PHQ-9 1..9 = 2,2,1,2,1,1,1,0,1 (total 11, Moderate) with the difficulty question answered "Somewhat difficult";
// GAD-7 1..7 = 1,1,1,1,1,1,2 (total 8, Mild) with it left out.
const PHQ_ANSWERS = { '1': 2, '2': 2, '3': 1, '4': 2, '5': 1, '6': 1, '7': 1, '8': 0, '9': 1, '10': 1 };
const GAD_ANSWERS = { '1': 1, '2': 1, '3': 1, '4': 1, '5': 1, '6': 1, '7': 2 };

const input = (over: Partial<MeasuresBundleInput> = {}): MeasuresBundleInput => ({
  member: { id: MEMBER, privateReference: 'RX12345' },
  identifierSystem: 'https://fhir.example.nhs.uk/Id/local-mrn',
  responses: [
    answered(PHQ_9, PHQ_ANSWERS, '2026-11-02T10:15:00Z'),
    declined(GAD_7, '2026-11-02T10:16:00Z'),
    answered(GAD_7, GAD_ANSWERS, '2026-11-30T09:00:00Z'),
  ],
  instruments: new Map([
    [PHQ_9.key, PHQ_9],
    [GAD_7.key, GAD_7],
  ]),
  now: new Date('2026-12-02T05:30:00Z'),
  ...over,
});

const resources = (b: Bundle): Resource[] => (b.entry ?? []).map((e) => e.resource as Resource);
const ofType = <T extends Resource>(b: Bundle, type: T['resourceType']): T[] =>
  resources(b).filter((r): r is T => r.resourceType === type);
const urlOf = (b: Bundle, r: Resource) => b.entry?.find((e) => e.resource === r)?.fullUrl;

/** Every resource and the Bundle pass the validator, and every reference resolves inside the Bundle. */
const expectValid = (b: Bundle) => expect(bundleProblems(b)).toEqual([]);

describe('a member’s measures as a FHIR R4 Bundle', () => {
  it('holds the Patient, a Questionnaire per instrument, and per answer a QuestionnaireResponse and an Observation of its total (PHQ-9 44261-6, GAD-7 70274-6)', () => {
    const { bundle, counts } = buildMeasuresBundle(input());
    expect(bundle.type).toBe('collection');
    expect(bundle.timestamp).toBe('2026-12-02T05:30:00.000Z');
    expect(resources(bundle).map((r) => r.resourceType)).toEqual([
      'Patient',
      'Questionnaire',
      'Questionnaire',
      'QuestionnaireResponse',
      'Observation',
      'QuestionnaireResponse',
      'Observation',
    ]);
    expect(counts).toEqual({
      resources: 7,
      questionnaires: 2,
      questionnaireResponses: 2,
      observations: 2,
      totalsOnly: 0,
    });
    const [phq, gad] = ofType<Observation>(bundle, 'Observation');
    expect(phq?.code.coding).toEqual([
      {
        system: 'http://loinc.org',
        code: '44261-6',
        display: 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]',
      },
    ]);
    expect(phq).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      valueInteger: 11,
      effectiveDateTime: '2026-11-02T10:15:00.000Z',
      interpretation: [{ text: 'Moderate' }],
    });
    expect(gad?.code.coding?.[0]?.code).toBe('70274-6');
    expect(gad).toMatchObject({ valueInteger: 8, interpretation: [{ text: 'Mild' }] });
  });

  it('passes the FHIR R4 validator of @medplum/core: every resource and the Bundle', () => {
    expectValid(buildMeasuresBundle(input()).bundle);
  });

  it('the validator runs: a deliberately broken resource is refused', () => {
    const { bundle } = buildMeasuresBundle(input());
    const [obs] = ofType<Observation>(bundle, 'Observation');
    const broken = { ...obs, status: 'done', valueInteger: 'eleven' } as unknown as Observation;
    expect(fhirIssues(broken).errors.length).toBeGreaterThan(0);
    const { code: _code, ...withoutCode } = obs as Observation;
    expect(fhirIssues(withoutCode as Observation).errors.join('\n')).toMatch(/Observation\.code/);
  });

  it('answers carry the LOINC answer code, the published wording and the score as ordinalValue; the Questionnaire offers the same', () => {
    const { bundle } = buildMeasuresBundle(input());
    const [phqQuestionnaire] = ofType<Questionnaire>(bundle, 'Questionnaire');
    const item9 = phqQuestionnaire?.item?.find((i) => i.linkId === '9');
    expect(item9).toMatchObject({
      text: 'Thoughts that you would be better off dead or of hurting yourself in some way',
      type: 'choice',
      required: true,
      code: [{ system: 'http://loinc.org', code: '44260-8' }],
    });
    expect(item9?.answerOption?.map((o) => [o.valueCoding?.code, o.valueCoding?.extension?.[0]])).toEqual(
      [
        ['LA6568-5', 0],
        ['LA6569-3', 1],
        ['LA6570-1', 2],
        ['LA6571-9', 3],
      ].map(([code, valueDecimal]) => [code, { url: ORDINAL_VALUE, valueDecimal }]),
    );
    expect(phqQuestionnaire).toMatchObject({
      url: 'urn:sharon:questionnaire:phq-9',
      version: 'Pfizer-1999-(English,-UK)',
      description: expect.stringContaining(`Version: ${PHQ_9.version}.`),
    });
    expect(phqQuestionnaire?.code).toEqual([expect.objectContaining({ code: '44249-1' })]);
    const [phqResponse] = ofType<QuestionnaireResponse>(bundle, 'QuestionnaireResponse');
    expect(phqResponse).toMatchObject({
      status: 'completed',
      questionnaire: `urn:sharon:questionnaire:phq-9|${questionnaireVersion(PHQ_9.version)}`,
      authored: '2026-11-02T10:15:00.000Z',
    });
    const coded = phqResponse?.item?.map((i) => [i.linkId, i.answer?.[0]?.valueCoding?.code]);
    expect(coded).toEqual([
      ['1', 'LA6570-1'],
      ['2', 'LA6570-1'],
      ['3', 'LA6569-3'],
      ['4', 'LA6570-1'],
      ['5', 'LA6569-3'],
      ['6', 'LA6569-3'],
      ['7', 'LA6569-3'],
      ['8', 'LA6568-5'],
      ['9', 'LA6569-3'],
      ['10', 'LA6573-5'],
    ]);
    // GAD-7's unanswered difficulty question is left out, not answered "Not difficult at all".
    expect(ofType<QuestionnaireResponse>(bundle, 'QuestionnaireResponse')[1]?.item?.map((i) => i.linkId)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
  });

  it('attaches everything to the one Patient, by reference inside the Bundle; each total is derived from its own response', () => {
    const { bundle } = buildMeasuresBundle(input());
    const fullUrls = (bundle.entry ?? []).map((e) => e.fullUrl);
    for (const u of fullUrls) expect(u).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(new Set(fullUrls).size).toBe(fullUrls.length);
    const [patient] = ofType<Patient>(bundle, 'Patient');
    const patientUrl = patient && urlOf(bundle, patient);
    const responses = ofType<QuestionnaireResponse>(bundle, 'QuestionnaireResponse');
    const observations = ofType<Observation>(bundle, 'Observation');
    for (const r of [...responses, ...observations]) expect(r.subject?.reference).toBe(patientUrl);
    expect(observations.map((o) => o.derivedFrom?.[0]?.reference)).toEqual(responses.map((r) => urlOf(bundle, r)));
  });

  it('names nobody: the Patient is the private reference under the configured system and SHaRON’s id; without a reference, SHaRON’s id only', () => {
    const [withRef] = ofType<Patient>(buildMeasuresBundle(input()).bundle, 'Patient');
    expect(withRef?.name).toBeUndefined();
    expect(withRef?.identifier).toEqual([
      { use: 'usual', system: 'https://fhir.example.nhs.uk/Id/local-mrn', value: 'RX12345' },
      {
        use: 'secondary',
        type: { text: 'SHaRON account id' },
        system: 'urn:ietf:rfc:3986',
        value: `urn:uuid:${MEMBER}`,
      },
    ]);
    const noRef = buildMeasuresBundle(input({ member: { id: MEMBER, privateReference: null } })).bundle;
    expect(ofType<Patient>(noRef, 'Patient')[0]?.identifier?.map((i) => i.system)).toEqual(['urn:ietf:rfc:3986']);
    expectValid(noRef);
  });

  it('leaves declined occurrences out, and a member with no answers gets a valid Bundle of the Patient alone', () => {
    const only = buildMeasuresBundle(input({ responses: [declined(PHQ_9, '2026-11-02T10:15:00Z')] }));
    expect(resources(only.bundle).map((r) => r.resourceType)).toEqual(['Patient']);
    expect(only.counts.resources).toBe(1);
    expectValid(only.bundle);
  });

  it('an added instrument without LOINC codes: items and answers without codes, the total named in text; still valid', () => {
    const core = InstrumentDefinition.parse({
      key: 'wellbeing-3',
      name: 'Wellbeing-3',
      measures: 'Wellbeing',
      version: 'Trust 2026',
      stem: 'Over the last week:',
      options: [
        { label: 'Never', score: 0 },
        { label: 'Sometimes', score: 1 },
        { label: 'Often', score: 2 },
      ],
      items: [
        { linkId: 'a', text: 'I felt calm' },
        { linkId: 'b', text: 'I slept well' },
        { linkId: 'c', text: 'I saw friends' },
      ],
      total: { min: 0, max: 6, higherIsWorse: false },
      bands: [
        { min: 0, max: 2, label: 'Low' },
        { min: 3, max: 6, label: 'Usual' },
      ],
      source: 'A fictional instrument for this test.',
      licence: 'Written for this test; no third-party text.',
    });
    const { bundle } = buildMeasuresBundle(
      input({
        responses: [answered(core, { a: 2, b: 1, c: 0 }, '2026-11-03T12:00:00Z')],
        instruments: new Map([[core.key, core]]),
      }),
    );
    const [q] = ofType<Questionnaire>(bundle, 'Questionnaire');
    expect(q?.code).toBeUndefined();
    expect(q?.item?.[1]).not.toHaveProperty('code');
    expect(q?.item?.[1]?.answerOption?.[2]?.valueCoding).toEqual({
      extension: [{ url: ORDINAL_VALUE, valueDecimal: 2 }],
      display: 'Often',
    });
    const [obs] = ofType<Observation>(bundle, 'Observation');
    expect(obs?.code).toEqual({ text: 'Wellbeing-3 total score' });
    expect(obs?.valueInteger).toBe(3);
    expectValid(bundle);
  });

  it('an answer given on another version of the wording exports its total only, never answers coded from wording it did not see', () => {
    const older = { ...answered(PHQ_9, PHQ_ANSWERS, '2026-10-01T10:00:00Z'), instrumentVersion: 'an earlier wording' };
    const { bundle, counts } = buildMeasuresBundle(input({ responses: [older] }));
    expect(resources(bundle).map((r) => r.resourceType)).toEqual(['Patient', 'Observation']);
    expect(counts.totalsOnly).toBe(1);
    const [obs] = ofType<Observation>(bundle, 'Observation');
    expect(obs).toMatchObject({ valueInteger: 11, code: { coding: [{ code: '44261-6' }] } });
    expect(obs?.derivedFrom).toBeUndefined();
    expectValid(bundle);
  });
});
