import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, startTestApp, type TestApp } from '../helpers/app.js';
import { demoIds } from '../helpers/demo.js';
import { badgeFor, MEMBER_ROLE_LABELS, ROLE_LABELS } from '../../src/people/labels.js';
import { MEMBER_ROLES, ROLES } from '../../src/policy/index.js';

describe('one set of role labels', () => {
  it('names every role, a professional as "Professional" (not "Professional (training)")', () => {
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
    expect(ROLE_LABELS.professional).toBe('Professional');
  });

  it('the key form labels each member role as the accounts list does', () => {
    for (const role of MEMBER_ROLES) expect(MEMBER_ROLE_LABELS[role]).toBe(ROLE_LABELS[role]);
  });

  it('staff carry their role as a badge; members carry none', () => {
    expect(ROLES.map((r) => [r, badgeFor(r)])).toEqual([
      ['admin', 'Admin'],
      ['clinician', 'Clinician'],
      ['peer_moderator', 'Peer moderator'],
      ['patient', null],
      ['carer', null],
      ['professional', null],
    ]);
  });
});

describe('the key form', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('offers a key for a "Professional", as the admin accounts list names the role', async () => {
    const ids = await demoIds(t.db);
    const clinician = await signIn(t.app, 'clinician');
    const page = await clinician.get(`/subnets/${ids.subnet('eating-disorders')}/keys`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<option value="professional"[^>]*>\s*Professional\s*<\/option>/);
    expect(page.text).not.toContain('Professional (training)');
  });
});
