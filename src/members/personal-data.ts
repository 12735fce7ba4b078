import { COVERED, staffAction, type PersonalDataTable } from '../privacy/personal-data.js';

/**
 * Memberships (which service and group a person belongs to), the key they joined with, and care
 * events. Private references (a real name or record number) are the service's clinical link to the
 * person: never in the download, removed on erasure.
 */
export const MEMBERS_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'memberships',
    personColumns: { user_id: COVERED },
    export: {
      key: 'memberships',
      read: (db, userId) =>
        db('memberships as m')
          .join('subnets as s', 's.id', 'm.subnet_id')
          .leftJoin('cohorts as c', 'c.id', 'm.cohort_id')
          .where('m.user_id', userId)
          .select('s.name as service', 'c.name as group', 'm.started_at', 'm.ends_at'),
    },
    async erase(trx, userId) {
      await trx('memberships').where({ user_id: userId }).update({ private_reference: null, ends_at: trx.fn.now() });
    },
  },
  {
    table: 'invitation_keys',
    personColumns: {
      redeemed_by: {
        export: {
          omit: "the key's only personal detail is its private reference, a clinical record left to the service's subject-access process",
        },
        erase: true,
      },
      issued_by: staffAction('the clinician who issued the key'),
      revoked_by: staffAction('the clinician who revoked the key'),
    },
    async erase(trx, userId) {
      await trx('invitation_keys').where({ redeemed_by: userId }).update({ private_reference: null });
    },
  },
  {
    table: 'care_events',
    personColumns: {
      user_id: {
        export: {
          omit: "admissions and relapses recorded by clinicians are the service's clinical record, left to its subject-access process",
        },
        erase: {
          retain:
            "the service's clinical record (dates and kinds only, no text); it names the erased account, which holds nothing personal any more",
        },
      },
      recorded_by: staffAction('the clinician who recorded the event'),
    },
  },
];
