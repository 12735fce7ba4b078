import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { preparedQuery } from '../db/prepared.js';
import type { AccountStatus, Membership, Role } from '../policy/index.js';
import type { SessionUser } from '../people/person.js';
import { nicknameSkeleton } from './nickname-skeleton.js';

export interface LoginRow {
  id: string;
  passwordHash: string | null;
  status: AccountStatus;
}

interface MembershipJson {
  subnet_id: string;
  cohort_id: string | null;
  ends_at: string | null;
}

/** Loads a user and their memberships in one query; undefined when there is no such user. */
export async function findSessionUser(db: Db, id: string): Promise<SessionUser | undefined> {
  const [row] = await sessionUserPrepared(db, { id });
  return row ? toSessionUser(row) : undefined;
}

// Every signed-in request runs this: a prepared statement (planned once per connection).
const sessionUserPrepared = preparedQuery<{ id: string }>('session_user', (db, p) =>
  sessionUserQuery(db, p.id).limit(1),
);

/** The one query behind the signed-in person (also a part of a chat message's context query). */
export function sessionUserQuery(db: Db, id: string | Knex.Raw, opts: { unread: boolean } = { unread: true }) {
  const q = db('users as u')
    .where('u.id', id)
    .select(
      'u.id',
      'u.username',
      'u.nickname',
      'u.display_name',
      'u.role',
      'u.status',
      'u.last_seen_at',
      'u.totp_enabled_at',
      db.raw(`coalesce((SELECT json_agg(json_build_object('subnet_id', m.subnet_id, 'cohort_id', m.cohort_id, 'ends_at', m.ends_at))
               FROM memberships m WHERE m.user_id = u.id), '[]'::json) AS memberships`),
    );
  if (opts.unread)
    q.select(
      db.raw(
        `coalesce((SELECT json_agg(n.room_id) FROM (SELECT room_id FROM notifications WHERE user_id = u.id AND read_at IS NULL ORDER BY id DESC LIMIT 100) n), '[]'::json) AS unread_rooms`,
      ),
    );
  return q;
}

/** A row of `sessionUserQuery`, as pg returns it or as JSON (timestamps as strings). */
export function toSessionUser(row: Record<string, unknown>): SessionUser {
  return {
    id: row.id as string,
    username: row.username as string,
    nickname: row.nickname as string,
    displayName: row.display_name as string | null,
    role: row.role as Role,
    status: row.status as AccountStatus,
    lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at as string | Date) : null,
    twoFactorEnabled: row.totp_enabled_at !== null,
    memberships: (row.memberships as MembershipJson[]).map(toMembership),
    unreadRoomIds: (row.unread_rooms as (string | null)[] | undefined) ?? [],
  };
}

function toMembership(m: MembershipJson): Membership {
  return { subnetId: m.subnet_id, cohortId: m.cohort_id, endsAt: m.ends_at ? new Date(m.ends_at) : null };
}

/** The login columns for a username (case-insensitive). */
export async function findLoginByUsername(db: Db, username: string): Promise<LoginRow | undefined> {
  const row = await db('users')
    .whereRaw('lower(username) = lower(?)', [username])
    .first('id', 'password_hash', 'status');
  return row ? { id: row.id, passwordHash: row.password_hash, status: row.status } : undefined;
}

export async function updatePasswordHash(db: Db, id: string, hash: string): Promise<void> {
  await db('users').where({ id }).update({ password_hash: hash });
}

/** Records activity, at most once every five minutes per person. */
export async function touchLastSeen(db: Db, id: string): Promise<void> {
  await db('users')
    .where({ id })
    .andWhere((q) => q.whereNull('last_seen_at').orWhere('last_seen_at', '<', db.raw("now() - interval '5 minutes'")))
    .update({ last_seen_at: db.fn.now() });
}

export interface NewUser {
  username: string;
  nickname: string;
  displayName?: string | null;
  role: Role;
  passwordHash: string;
  /** Staff only: the work email organisation sign-in links by. */
  workEmail?: string | null;
}

/**
 * Inserts a user with their nickname's skeleton; unique violations (username, nickname, a
 * look-alike nickname) surface as pg error 23505 on the index `users_*_idx` that refused it.
 */
export async function insertUser(db: Db, u: NewUser): Promise<string> {
  const [row] = await db('users')
    .insert({
      username: u.username,
      nickname: u.nickname,
      nickname_skeleton: nicknameSkeleton(u.nickname),
      display_name: u.displayName ?? null,
      role: u.role,
      password_hash: u.passwordHash,
      work_email: u.workEmail ?? null,
    })
    .returning('id');
  return row.id;
}

/** How a nickname meets an existing one: the very same, or only alike (case, accents, look-alikes). */
export type NicknameClash = 'taken' | 'too_close' | null;

/**
 * Whether a username is taken (case-insensitive), and how a nickname clashes with someone's:
 * 'taken' when it is theirs exactly, 'too_close' when it differs only in case or has the same
 * look-alike skeleton. Erased accounts hold no skeleton: they block only their own nickname.
 */
export async function findTaken(
  db: Db,
  username: string,
  nickname: string,
): Promise<{ username: boolean; nickname: NicknameClash }> {
  const skeleton = nicknameSkeleton(nickname);
  const rows: { username: string; nickname: string; nickname_skeleton: string | null }[] = await db('users')
    .whereRaw('lower(username) = lower(?)', [username])
    .orWhereRaw('lower(nickname) = lower(?)', [nickname])
    .orWhere('nickname_skeleton', skeleton)
    .select('username', 'nickname', 'nickname_skeleton');
  const alike = rows.filter(
    (r) => r.nickname_skeleton === skeleton || r.nickname.toLowerCase() === nickname.toLowerCase(),
  );
  return {
    username: rows.some((r) => r.username.toLowerCase() === username.toLowerCase()),
    nickname: alike.some((r) => r.nickname === nickname) ? 'taken' : alike.length ? 'too_close' : null,
  };
}

/** Sets an account's status (active, suspended). */
export async function setStatus(db: Db, id: string, status: AccountStatus): Promise<void> {
  await db('users').where({ id }).update({ status, status_changed_at: db.fn.now() });
}
