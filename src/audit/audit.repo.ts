import type { Db } from '../db/knex.js';

/** What came of an audited action (a CHECK on audit_log.outcome holds the table to this list). */
export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed', 'throttled'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome;
  reason?: string | null;
  ip?: string | null;
  /** Ids and codes only: never message text, passwords or real identities. */
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditRow {
  id: number;
  at: Date;
  actorId: string | null;
  actorUsername: string | null;
  actorNickname: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /**
   * The person the action was about, by username and nickname now (an erased account's are its erased
   * ones): the target account, the member of a care-team conversation, or the author of a message.
   */
  targetUsername: string | null;
  targetNickname: string | null;
  /** When the target is a service, group or room: its name. */
  targetName: string | null;
  /** The service the action was taken in (details.subnet_id), by name. */
  subnetName: string | null;
  outcome: string;
  /** The policy's refusal code, for a denied action. */
  reason: string | null;
  /** The reason the staff member gave (details.reason): a suspension, a promotion, a reveal... */
  givenReason: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** A target id, or the username of a target account. */
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Appends one audit row (inside the caller's transaction when given one). */
export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_id: e.actorId,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    outcome: e.outcome ?? 'ok',
    reason: e.reason ?? null,
    ip: e.ip ?? null,
    details: e.details ? JSON.stringify(e.details) : null,
  });
}

// The names are read at the time of reading, so an erased account shows as erased here too.
const named = (db: Db) =>
  db('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .leftJoin('users as tu', (j) => j.on(db.raw("a.target_type = 'user'")).andOn(db.raw('a.target_id = tu.id::text')))
    .leftJoin('subnets as ts', (j) =>
      j.on(db.raw("a.target_type = 'subnet'")).andOn(db.raw('a.target_id = ts.id::text')),
    )
    .leftJoin('rooms as tr', (j) => j.on(db.raw("a.target_type = 'room'")).andOn(db.raw('a.target_id = tr.id::text')))
    .leftJoin('cohorts as tc', (j) =>
      j.on(db.raw("a.target_type = 'cohort'")).andOn(db.raw('a.target_id = tc.id::text')),
    )
    // Whose care-team conversation was read, whose message was acted on: that person is the target too.
    .leftJoin('care_conversations as tcc', (j) =>
      j.on(db.raw("a.target_type = 'care_conversation'")).andOn(db.raw('a.target_id = tcc.id::text')),
    )
    .leftJoin('messages as tm', (j) =>
      j.on(db.raw("a.target_type = 'message'")).andOn(db.raw('a.target_id = tm.id::text')),
    )
    .leftJoin('users as tp', 'tp.id', db.raw('coalesce(tcc.member_id, tm.author_id)'))
    .leftJoin('subnets as ds', (j) => j.on(db.raw("a.details->>'subnet_id' = ds.id::text")));

/**
 * The target ids a "target" filter stands for, by target type, beside the id itself: a username
 * names the account, their messages and their care-team conversation (whom the viewer shows as
 * the target). Each arm is `target_id = ANY(ARRAY(subquery))`, worked out once, so PostgreSQL reads
 * the rows through audit_log_target_id_idx instead of the whole log.
 */
const TARGET_OF_USERNAME: ReadonlyArray<readonly [string, string]> = [
  ['user', 'SELECT p.id::text FROM users p WHERE lower(p.username) = lower(?)'],
  [
    'message',
    'SELECT m.id::text FROM messages m JOIN users p ON p.id = m.author_id WHERE lower(p.username) = lower(?)',
  ],
  [
    'care_conversation',
    'SELECT c.id::text FROM care_conversations c JOIN users p ON p.id = c.member_id WHERE lower(p.username) = lower(?)',
  ],
];

/** The audit rows the viewer's filter keeps, newest first, one page, with the people and places named. */
export function auditQuery(db: Db, f: AuditFilter, limit: number, offset: number) {
  const q = named(db);
  if (f.actor) q.whereRaw('lower(u.username) = lower(?)', [f.actor]);
  if (f.action) q.where('a.action', f.action);
  const target = f.targetId;
  if (target)
    q.where((w) => {
      w.where('a.target_id', target);
      for (const [type, ids] of TARGET_OF_USERNAME)
        w.orWhere((arm) => arm.where('a.target_type', type).whereRaw(`a.target_id = ANY(ARRAY(${ids}))`, [target]));
    });
  if (f.from) q.where('a.at', '>=', f.from);
  if (f.to) q.where('a.at', '<', f.to);
  return q
    .select(
      'a.*',
      'u.username as actor_username',
      'u.nickname as actor_nickname',
      db.raw('coalesce(tu.username, tp.username) as target_username'),
      db.raw('coalesce(tu.nickname, tp.nickname) as target_nickname'),
      db.raw('coalesce(ts.name, tr.name, tc.name) as target_name'),
      'ds.name as subnet_name',
    )
    .orderBy('a.id', 'desc')
    .limit(limit)
    .offset(offset);
}

/** Newest first, filtered, one page, with the people and places named. */
export async function listAudit(db: Db, f: AuditFilter, limit: number, offset: number): Promise<AuditRow[]> {
  return (await auditQuery(db, f, limit, offset)).map(toAuditRow);
}

const givenReason = (details: Record<string, unknown> | null) =>
  details && typeof details.reason === 'string' ? details.reason : null;

function toAuditRow(r: Record<string, unknown>): AuditRow {
  const details = (r.details ?? null) as Record<string, unknown> | null;
  return {
    id: r.id as number,
    at: r.at as Date,
    actorId: r.actor_id as string | null,
    actorUsername: r.actor_username as string | null,
    actorNickname: r.actor_nickname as string | null,
    action: r.action as string,
    targetType: r.target_type as string | null,
    targetId: r.target_id as string | null,
    targetUsername: r.target_username as string | null,
    targetNickname: r.target_nickname as string | null,
    targetName: r.target_name as string | null,
    subnetName: r.subnet_name as string | null,
    outcome: r.outcome as string,
    reason: r.reason as string | null,
    givenReason: givenReason(details),
    ip: r.ip as string | null,
    details,
  };
}

/** The distinct actions recorded, for the filter's choices. */
export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db('audit_log').distinct('action').orderBy('action');
  return rows.map((r: { action: string }) => r.action);
}
