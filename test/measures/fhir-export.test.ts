import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { loadConfig } from '../../src/config.js';
import { score } from '../../src/measures/instrument.js';
import { GAD_7, PHQ_9 } from '../../src/measures/instruments/index.js';
import type { InstrumentDefinition } from '../../src/measures/instrument.js';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfFrom, signIn, startTestApp, type TestApp } from '../helpers/app.js';
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

const page = (subnet: string, userId: string) => `/subnets/${ids.subnet(subnet)}/members/${userId}`;
const url = (subnet: string, userId: string) => `${page(subnet, userId)}/measures.fhir.json`;
const REASON = 'Adding her scores to the care record before review';
/** Submits the member page's download form as `agent`, with a token from `from` (the member page, or / for those who cannot see it). */
const download = async (
  agent: TestAgent,
  subnet: string,
  userId: string,
  body: Record<string, string> = { downloadReason: REASON },
  from = page(subnet, userId),
) =>
  agent
    .post(url(subnet, userId))
    .type('form')
    .send({ ...body, _csrf: await csrfFrom(agent, from) })
    .buffer(true);
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

describe('POST /subnets/:subnetId/members/:userId/measures.fhir.json', () => {
  it('the member page offers the download as a form asking for a reason, with a CSRF token', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await clinician.get(page('eating-disorders', mira));
    expect(res.text).toMatch(
      new RegExp(
        `<form action="${url('eating-disorders', mira)}" method="post" novalidate>\\s*<input type="hidden" name="_csrf" value="[^"]+">`,
      ),
    );
    expect(res.text).toContain('<label class="nhsuk-label" for="downloadReason">Reason for downloading</label>');
    expect(res.text).not.toContain(`href="${url('eating-disorders', mira)}"`);
  });

  it('a clinician of the service downloads the member’s measures with a reason: an application/fhir+json attachment, valid FHIR R4', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await download(clinician, 'eating-disorders', mira);
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
    const res = await download(clinician, 'first-step', mira);
    const bundle = JSON.parse(res.text) as Bundle;
    expect(totals(bundle)).toEqual([['44261-6', 27]]);
    expect(patientOf(bundle)?.identifier?.[0]?.value).toBe('FS-7');
    expect(bundleProblems(bundle)).toEqual([]);
  });

  it('each download writes one audit row: who, whose, which service, the reason and how many resources, never a score', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await exports(mira);
    expect((await download(clinician, 'eating-disorders', mira, { downloadReason: `  ${REASON}  ` })).status).toBe(200);
    expect(await exports(mira)).toBe(before + 1);
    const row = await t
      .db('audit_log')
      .where({ action: 'measures.fhir_export', target_id: mira })
      .orderBy('id', 'desc')
      .first();
    expect(row).toMatchObject({ actor_id: ids.user('clinician'), target_type: 'user', outcome: 'ok' });
    expect(row.details).toEqual({
      subnet_id: ids.subnet('eating-disorders'),
      reason: REASON,
      resources: 9,
      questionnaire_responses: 3,
      observations: 3,
      totals_only: 0,
      private_reference: true,
    });
  });

  it('without a reason, or one too short, the member page comes back (400) with the error linked to the field and the text kept; nothing is downloaded or audited as an export', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await exports(mira);
    const cases: [Record<string, string>, string, string][] = [
      [{}, 'Say why you are downloading these measures', ''],
      [{ downloadReason: '   ' }, 'Say why you are downloading these measures, in at least 10 characters', '   '],
      [{ downloadReason: 'review' }, 'Say why you are downloading these measures, in at least 10 characters', 'review'],
      [{ downloadReason: 'x'.repeat(501) }, 'The reason must be 500 characters or fewer', 'x'.repeat(500)],
    ];
    for (const [body, message, kept] of cases) {
      const res = await download(clinician, 'eating-disorders', mira, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(res.text).toContain('<h1>Mira Moonbeam</h1>');
      expect(res.text).toContain(
        '<h2 class="nhsuk-error-summary__title" id="error-summary-title">There is a problem</h2>',
      );
      expect(res.text).toContain(`<li><a href="#downloadReason">${message}</a></li>`);
      expect(res.text).toContain(`<span class="nhsuk-u-visually-hidden">Error:</span> ${message}`);
      expect(res.text).toMatch(
        new RegExp(`<textarea[^>]* id="downloadReason" name="downloadReason"[^>]*>${kept}</textarea>`),
      );
      // The reveal form on the same page is left as it was: no error, nothing typed.
      expect(res.text).toMatch(/<textarea class="nhsuk-textarea" id="reason" name="reason"[^>]*><\/textarea>/);
      expect(res.text).not.toContain('"resourceType"');
      expect(res.text).not.toContain('RX-0042');
    }
    expect(await exports(mira)).toBe(before);
  });

  it('the member themselves, a peer moderator, a clinician of another service and an admin get 404, with or without a reason, and nothing is exported', async () => {
    const before = await exports(mira);
    for (const username of ['mira', 'peermod', otherClinician, 'admin', 'anna']) {
      const agent = await signIn(t.app, username);
      for (const body of [{ downloadReason: REASON }, {}] as Record<string, string>[]) {
        const res = await download(agent, 'eating-disorders', mira, body, '/');
        expect({ username, body, status: res.status }).toEqual({ username, body, status: 404 });
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(res.text).not.toContain('"resourceType"');
        expect(res.text).not.toContain('<h1>Mira Moonbeam</h1>');
      }
    }
    expect(await exports(mira)).toBe(before);
  });

  it('without a CSRF token the clinician gets 403, and nothing is exported', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await exports(mira);
    const res = await clinician.post(url('eating-disorders', mira)).type('form').send({ downloadReason: REASON });
    expect(res.status).toBe(403);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.text).not.toContain('"resourceType"');
    expect(await exports(mira)).toBe(before);
  });

  it('a GET discloses nothing: there is no GET route (404), and nothing is exported', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const before = await exports(mira);
    const res = await clinician.get(url('eating-disorders', mira));
    expect(res.status).toBe(404);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.text).not.toContain('RX-0042');
    expect(await exports(mira)).toBe(before);
  });

  it('a member with no answers and no reference: a valid Bundle of the Patient alone, known by SHaRON’s id', async () => {
    const clinician = await signIn(t.app, 'clinician');
    const res = await download(clinician, 'eating-disorders', quiet, { downloadReason: REASON }, '/');
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
