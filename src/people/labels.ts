import type { MemberRole, Role } from '../policy/index.js';

/**
 * What each role is called on a page: one map for every page that names a role (the accounts and
 * staff lists, the key form). A professional is "Professional" in every service: the role is not
 * only for training (ACCESS.md "Words").
 */
export const ROLE_LABELS: Readonly<Record<Role, string>> = Object.freeze({
  admin: 'Admin',
  clinician: 'Clinician',
  peer_moderator: 'Peer moderator',
  patient: 'Patient',
  carer: 'Carer',
  professional: 'Professional',
});

/** The member roles' labels (the key form offers only these). */
export const MEMBER_ROLE_LABELS: Readonly<Record<MemberRole, string>> = Object.freeze({
  patient: ROLE_LABELS.patient,
  carer: ROLE_LABELS.carer,
  professional: ROLE_LABELS.professional,
});

const BADGES: Readonly<Record<Role, string | null>> = Object.freeze({
  admin: ROLE_LABELS.admin,
  clinician: ROLE_LABELS.clinician,
  peer_moderator: ROLE_LABELS.peer_moderator,
  patient: null,
  carer: null,
  professional: null,
});

/** The badge staff carry beside their nickname (their role's label); members carry none. */
export function badgeFor(role: Role): string | null {
  return BADGES[role];
}
