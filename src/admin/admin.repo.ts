import type { Db } from '../db/knex.js';
import { STAFF_ROLES, type AccountStatus, type Role, type RoomKind } from '../policy/index.js';
import type { SubnetInput } from './admin.schemas.js';
import { describeHours } from '../safety/service-hours.js';

const subnetColumns = (s: SubnetInput) => ({
  name: s.name,
  slug: s.slug,
  description: s.description,
  crisis_contacts: s.crisisContacts,
  // The text members read is derived from the hours (kept in the column for exports and old readers).
  service_hours: describeHours({ start: s.hoursStart, end: s.hoursEnd, days: [...new Set(s.hoursDays)].sort() }),
  care_team_includes_peer_moderators: s.careTeamIncludesPeerModerators === 'yes',
  hours_start: s.hoursStart,
  hours_end: s.hoursEnd,
  hours_days: [...new Set(s.hoursDays)].sort(),
  chat_retention_days: s.chatRetentionDays === '' ? null : s.chatRetentionDays,
});

export async function insertSubnet(db: Db, s: SubnetInput): Promise<string> {
  const [row] = await db('subnets').insert(subnetColumns(s)).returning('id');
  return row.id;
}

export async function updateSubnet(db: Db, id: string, s: SubnetInput): Promise<void> {
  await db('subnets').where({ id }).update(subnetColumns(s));
}

export async function insertCohort(db: Db, subnetId: string, name: string, slug: string): Promise<string> {
  const [row] = await db('cohorts').insert({ subnet_id: subnetId, name, slug }).returning('id');
  return row.id;
}

export interface RoomWrite {
  name: string;
  description: string;
  kind: RoomKind;
  audience: string[];
  preModerated?: 'yes';
  cover: 'open' | 'pre_moderated' | 'read_only';
}

/** Inserts or updates a room and replaces its audience. Cohorts of another subnet fail the foreign key. */
export async function saveRoom(db: Db, subnetId: string, roomId: string | null, r: RoomWrite): Promise<string> {
  const cols = {
    name: r.name,
    description: r.description,
    kind: r.kind,
    pre_moderated: r.preModerated === 'yes',
    cover: r.cover,
  };
  let id = roomId;
  if (id) await db('rooms').where({ id, subnet_id: subnetId }).update(cols);
  else
    [{ id }] = await db('rooms')
      .insert({ ...cols, subnet_id: subnetId })
      .returning('id');
  if (!id) throw new Error('room insert returned no id');
  await db('room_audiences').where({ room_id: id }).delete();
  await db('room_audiences').insert(r.audience.map((c) => ({ room_id: id, subnet_id: subnetId, cohort_id: c })));
  return id;
}

export interface AccountRow {
  id: string;
  username: string;
  nickname: string;
  displayName: string | null;
  role: Role;
  status: AccountStatus;
  lastSeenAt: Date | null;
  subnetNames: string[];
}

/** Accounts, optionally filtered by username or nickname, optionally staff only. */
export async function listAccounts(
  db: Db,
  opts: { id?: string; q?: string; staffOnly?: boolean; limit: number; offset: number },
): Promise<AccountRow[]> {
  const q = db('users as u').whereNot('u.status', 'erased');
  if (opts.id) q.where('u.id', opts.id);
  const like = `%${(opts.q ?? '').replace(/[\\%_]/g, '\\$&')}%`;
  if (opts.q) q.where((w) => w.whereILike('u.username', like).orWhereILike('u.nickname', like));
  if (opts.staffOnly) q.whereIn('u.role', STAFF_ROLES);
  const rows = await q
    .select(
      'u.*',
      db.raw(
        `coalesce((SELECT array_agg(s.name ORDER BY s.name) FROM memberships m JOIN subnets s ON s.id = m.subnet_id WHERE m.user_id = u.id), '{}') AS subnet_names`,
      ),
    )
    .orderByRaw('lower(u.username)')
    .limit(opts.limit)
    .offset(opts.offset);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    nickname: r.nickname,
    displayName: r.display_name,
    role: r.role,
    status: r.status,
    lastSeenAt: r.last_seen_at,
    subnetNames: r.subnet_names,
  }));
}

/** One account; undefined when unknown. */
export async function findAccount(db: Db, id: string): Promise<AccountRow | undefined> {
  const [acc] = await listAccounts(db, { id, limit: 1, offset: 0 });
  return acc;
}

/** The subnet ids a person belongs to. */
export async function subnetIdsOf(db: Db, userId: string): Promise<string[]> {
  return db('memberships').where({ user_id: userId }).pluck('subnet_id');
}

export async function findCohort(
  db: Db,
  id: string,
): Promise<{ id: string; subnetId: string; name: string } | undefined> {
  const row = await db('cohorts').where({ id }).first('id', 'subnet_id', 'name');
  return row ? { id: row.id, subnetId: row.subnet_id, name: row.name } : undefined;
}

export async function renameCohortRow(db: Db, id: string, name: string): Promise<void> {
  await db('cohorts').where({ id }).update({ name });
}
