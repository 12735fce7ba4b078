import type { PersonalDataTable } from '../privacy/personal-data.js';

const APPEND_ONLY =
  'the audit log is append-only (a trigger refuses UPDATE and DELETE) and is the security record of who did what: the actor id and address stay; ' +
  'details hold ids and codes, and staff-written reasons (suspension, promotion, reveal, a detector switched off), never text a member wrote';

/** The audit log: neither exported nor erased (see APPEND_ONLY). */
export const AUDIT_PERSONAL_DATA: readonly PersonalDataTable[] = [
  {
    table: 'audit_log',
    personColumns: { actor_id: { export: { omit: APPEND_ONLY }, erase: { retain: APPEND_ONLY } } },
  },
];
