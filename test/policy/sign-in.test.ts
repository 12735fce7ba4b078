import { describe, expect, it } from 'vitest';
import { providerUsedMultiFactor } from '../../src/policy/index.js';

/** The acr values a trust listed in OIDC_MFA_ACR for these cases. */
const MFA_ACR = ['urn:test:aal3'];

/**
 * When the organisation's sign-in stands in for SHaRON's own code (RFC 8176): `mfa`, or two
 * methods of different kinds (know, have, are), or a listed acr. One method is one factor.
 */
const CASES: { amr?: unknown; acr?: string; multiFactor: boolean; why: string }[] = [
  { amr: ['mfa'], multiFactor: true, why: 'the provider says multiple factors' },
  { amr: ['pwd', 'mfa'], multiFactor: true, why: 'the provider says multiple factors' },
  { amr: ['otp'], multiFactor: false, why: 'a one-time code alone is one factor' },
  { amr: ['sms'], multiFactor: false, why: 'an SMS code alone is one factor' },
  { amr: ['hwk'], multiFactor: false, why: 'a hardware key alone is one factor' },
  { amr: ['swk'], multiFactor: false, why: 'a software key alone is one factor' },
  { amr: ['fpt'], multiFactor: false, why: 'a fingerprint alone is one factor' },
  { amr: ['pwd'], multiFactor: false, why: 'a password alone is one factor' },
  { amr: ['pwd', 'otp'], multiFactor: true, why: 'know + have' },
  { amr: ['pwd', 'hwk'], multiFactor: true, why: 'know + have' },
  { amr: ['hwk', 'pin'], multiFactor: true, why: 'have + know (a smartcard and its PIN)' },
  { amr: ['pwd', 'fpt'], multiFactor: true, why: 'know + are' },
  { amr: ['swk', 'face'], multiFactor: true, why: 'have + are' },
  { amr: ['pwd', 'pin'], multiFactor: false, why: 'two things you know are one kind of factor' },
  { amr: ['otp', 'sms'], multiFactor: false, why: 'two things you have are one kind of factor' },
  { amr: ['pwd', 'pwd'], multiFactor: false, why: 'the same method twice is one factor' },
  { amr: ['pwd', 'rba'], multiFactor: false, why: 'risk-based analysis is no factor of its own' },
  { amr: ['pwd', 'geo'], multiFactor: false, why: 'a location is no factor of its own' },
  { amr: ['pwd', 'made-up'], multiFactor: false, why: 'a method RFC 8176 does not define counts for nothing' },
  { amr: [], multiFactor: false, why: 'no method named' },
  { multiFactor: false, why: 'no amr claim' },
  { amr: 'mfa', multiFactor: false, why: 'amr must be an array' },
  { amr: ['pwd'], acr: 'urn:test:aal3', multiFactor: true, why: 'the acr is one the trust listed' },
  { amr: ['pwd'], acr: 'urn:test:aal1', multiFactor: false, why: 'the acr is not one the trust listed' },
  { acr: 'urn:test:aal3', multiFactor: true, why: 'the acr is one the trust listed' },
];

describe('providerUsedMultiFactor: whether the organisation’s sign-in replaces SHaRON’s own code', () => {
  for (const c of CASES) {
    const name = `amr ${JSON.stringify(c.amr)}${c.acr ? `, acr ${c.acr}` : ''} -> ${c.multiFactor ? 'yes' : 'no'} (${c.why})`;
    it(name, () => {
      expect(providerUsedMultiFactor({ amr: c.amr, acr: c.acr }, MFA_ACR)).toBe(c.multiFactor);
    });
  }

  it('no acr counts when the trust listed none', () => {
    expect(providerUsedMultiFactor({ amr: ['pwd'], acr: 'urn:test:aal3' }, [])).toBe(false);
  });
});
