import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { loadConfig } from '../../src/config.js';
import { score } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import type { InstrumentDefinition } from '../../src/measures/instrument.js';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { makeSubnet, makeUser } from '../helpers/factories.js';
import { bundleProblems } from '../helpers/fhir.js';

const SYSTEM = 'https://fhir.example.nhs.uk/Id/local-mrn';
let t: TestApp;
let ids: Awaited<ReturnType<typeof demoIds>>;
let mira = '';
let quiet = '';
let otherClinician = '';
let day = 0;

/** A stored answer (or decline) as the answer page stores it: published scoring, one row per occurrence. */
async function respond(
  userId: string,
  subnetId: string,
  d: InstrumentDefinition,
  itemScores: Record<string, number> | null,
): Promise<void> {
  const s = itemScores ? score(d, itemScores) : null;
  const at = new Date(Date.UTC(2026, 9, 1 + day++, 10));
  await t.db('measure_responses').insert({
    user_id: userId,
    subnet_id: subnetId,
    instrument_key: d.key,
    instrument_version: d.version,
    due_at: at,
    status: s ? 'answered' : 'declined',
    item_scores: itemScores ? JSON.stringify(itemScores) : null,
    total: s?.total ?? null,
    band: s?.band ?? null,
    answered_at: at,
  });
}

const all = (n: number) => (d: InstrumentDefinition) =>
  Object.fromEntries(d.items.filter((i) => i.scored).map((i) => [i.linkId, n]));

beforeAll(async () => {
  t = await startTestApp({ FHIR_PATIENT_IDENTIFIER_SYSTEM: SYSTEM });
  ids = await demoIds(t.db);
  const ed = ids.subnet('eating-disorders');
  ({ id: mira } = await makeUser(t.db, {
    username: 'mira',
    nickname: 'Mira Moonbeam',
    subnetId: ed,
    cohortId: ids.cohort('eating-disorders/anorexia'),
    privateReference: 'RX-0042',
  }));
  // Mira is in First Step too, under another reference, with a score of her own there.
  await t.db('memberships').insert({
    user_id: mira,
    subnet_id: ids.subnet('first-step'),
    cohort_id: ids.cohort('first-step/waiting'),
    private_reference: 'FS-7',
  });
  await respond(mira, ed, PHQ_9, all(2)(PHQ_9)); // 18, Moderately severe
  await respond(mira, ed, GAD_7, null); // declined
  await respond(mira, ed, GAD_7, all(1)(GAD_7)); // 7, Mild
  await respond(mira, ed, PHQ_9, all(1)(PHQ_9)); // 9, Mild
  await respond(mira, ids.subnet('first-step'), PHQ_9, all(3)(PHQ_9)); // 27, only in First Step
  ({ id: quiet } = await makeUser(t.db, { subnetId: ed, cohortId: ids.cohort('eating-disorders/bulimia') }));
  const elsewhere = await makeSubnet(t.db, { slug: 'perinatal-test' });
  ({ username: otherClinician } = await makeUser(t.db, { role: 'clinician', subnetId: elsewhere.id }));
});
afterAll(async () => {
  await t?.close();
});

const url = (subnet: string, userId: string) => `/subnets/${ids.subnet(subnet)}/members/${userId}/measures.fhir.json`;
const resources = (b: Bundle): Resource[] => (b.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
const totals = (b: Bundle) =>
  resources(b)
    .filter((r): r is Observation => r.resourceType === 'Observation')
    .map((o) => [o.code.coding?.[0]?.code, o.valueInteger]);
const patientOf = (b: Bundle) => resources(b).find((r): r is Patient => r.resourceType === 'Patient');
const exports = async (userId: string) =>
  Number(
    (await t.db('audit_log').where({ action: 'measures.fhir_export', target_id: userId }).count('* as n').first())?.n,
  );

describe('GET /subnets/:subnetId/members/:userId/measures.fhir.json', () => {
  it('a clinician of the service downloads the member’s measures: an application/fhir+json attachment, valid FHIR R4', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await clinician.get(url('eating-disorders', mira)).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json(; charset=utf-8)?$/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="sharon-measures-\d{8}T\d{6}Z\.fhir\.json"$/,
    );
    expect(res.headers['content-disposition']).not.toMatch(/mira|moonbeam|RX-0042|eating/i);
    expect(res.headers['cache-control']).toContain('no-store');
    const bundle = JSON.parse(res.text) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundleProblems(bundle)).toEqual([]);
    expect(totals(bundle)).toEqual([
      ['44261-6', 18],
      ['70274-6', 7],
      ['44261-6', 9],
    ]);
    expect(resources(bundle).filter((r) => r.resourceType === 'QuestionnaireResponse')).toHaveLength(3);
    expect(patientOf(bundle)?.identifier?.[0]).toEqual({ use: 'usual', system: SYSTEM, value: 'RX-0042' });
    expect(res.text).not.toMatch(/Mira Moonbeam|"name"\s*:\s*\[/);
  });

  it('exports only the answers given in this service, under this service’s reference', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await clinician.get(url('first-step', mira));
    const bundle = JSON.parse(res.text) as Bundle;
    expect(totals(bundle)).toEqual([['44261-6', 27]]);
    expect(patientOf(bundle)?.identifier?.[0]?.value).toBe('FS-7');
    expect(bundleProblems(bundle)).toEqual([]);
  });

  it('each download writes one audit row: who, whose, which service and how many resources, never a score', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await exports(mira);
    await clinician.get(url('eating-disorders', mira)).expect(200);
    expect(await exports(mira)).toBe(before + 1);
    const row = await t
      .db('audit_log')
      .where({ action: 'measures.fhir_export', target_id: mira })
      .orderBy('id', 'desc')
      .first();
    expect(row).toMatchObject({ actor_id: ids.user('clinician'), target_type: 'user', outcome: 'ok' });
    expect(row.details).toEqual({
      subnet_id: ids.subnet('eating-disorders'),
      resources: 9,
      questionnaire_responses: 3,
      observations: 3,
      totals_only: 0,
      private_reference: true,
    });
  });

  it('the member themselves, a peer moderator, a clinician of another service and an admin get 404, and nothing is exported', async () => {
    const before = await exports(mira);
    for (const username of ['mira', 'peermod', otherClinician, 'admin', 'anna']) {
      const agent = await signIn(t.app, username);
      const res = await agent.get(url('eating-disorders', mira));
      expect({ username, status: res.status }).toEqual({ username, status: 404 });
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.text).not.toContain('"resourceType"');
    }
    expect(await exports(mira)).toBe(before);
  });

  it('a member with no answers and no reference: a valid Bundle of the Patient alone, known by SHaRON’s id', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await clinician.get(url('eating-disorders', quiet));
    expect(res.status).toBe(200);
    const bundle = JSON.parse(res.text) as Bundle;
    expect(resources(bundle).map((r) => r.resourceType)).toEqual(['Patient']);
    expect(patientOf(bundle)?.identifier).toEqual([
      {
        use: 'secondary',
        type: { text: 'SHaRON account id' },
        system: 'urn:ietf:rfc:3986',
        value: `urn:uuid:${quiet}`,
      },
    ]);
    expect(bundleProblems(bundle)).toEqual([]);
  });
});

describe('FHIR_PATIENT_IDENTIFIER_SYSTEM', () => {
  it('defaults to urn:sharon:private-reference and refuses a value that is not an absolute URI', () => {
    expect(loadConfig({}).fhir.patientIdentifierSystem).toBe('urn:sharon:private-reference');
    expect(loadConfig({ FHIR_PATIENT_IDENTIFIER_SYSTEM: SYSTEM }).fhir.patientIdentifierSystem).toBe(SYSTEM);
    expect(() => loadConfig({ FHIR_PATIENT_IDENTIFIER_SYSTEM: 'local mrn' })).toThrow(/FHIR_PATIENT_IDENTIFIER_SYSTEM/);
  });
});
