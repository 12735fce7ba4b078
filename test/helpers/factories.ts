import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/knex.js';
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';
import { STAFF_ROLES, type Role, type RoomKind } from '../../src/policy/types.js';
import { DEMO_TOTP_SECRET } from '../../seeds/demo.js';

// Rows for tests in one line each. Everything a test does not name gets a unique, harmless default;
// people sign in with the demo password (and, for staff, the demo TOTP key).

const unique = () => randomBytes(4).toString('hex');

/** The demo password's hash, read once per database (hashing it again would cost an argon2 run). */
const demoHashes = new WeakMap<Db, Promise<string>>();
function demoPasswordHash(db: Db): Promise<string> {
  let hash = demoHashes.get(db);
  if (!hash) {
    hash = db('users')
      .where({ username: 'anna' })
      .first('password_hash')
      .then((r: { password_hash: string } | undefined) => {
        if (!r) throw new Error('factories need the demo seed (anna) for the demo password hash');
        return r.password_hash;
      });
    demoHashes.set(db, hash);
  }
  return hash;
}

export interface UserSpec {
  username?: string;
  nickname?: string;
  role?: Role;
  status?: 'active' | 'suspended' | 'erased';
  /** A membership in this subnet (members also need `cohortId`; staff have none). */
  subnetId?: string;
  cohortId?: string;
  privateReference?: string;
  startedAt?: Date;
}

export interface MadeUser {
  id: string;
  username: string;
  nickname: string;
}

/**
 * A person who can sign in with the demo password, with a membership when `subnetId` is given:
 * `await makeUser(db, { subnetId, cohortId })` is a patient in that cohort; `{ role: 'clinician', subnetId }`
 * is staff of that subnet (staff get the demo TOTP key, as the demo staff have).
 */
export async function makeUser(db: Db, spec: UserSpec = {}): Promise<MadeUser> {
  const username = spec.username ?? `user${unique()}`;
  const nickname = spec.nickname ?? `Nick ${username}`;
  const role = spec.role ?? 'patient';
  const staff = (STAFF_ROLES as readonly Role[]).includes(role);
  const [{ id }] = await db('users')
    .insert({
      username,
      nickname,
      nickname_skeleton: nicknameSkeleton(nickname),
      role,
      status: spec.status ?? 'active',
      password_hash: await demoPasswordHash(db),
      ...(staff ? { totp_secret: DEMO_TOTP_SECRET, totp_enabled_at: db.fn.now() } : {}),
    })
    .returning('id');
  if (spec.subnetId) {
    if (!staff && !spec.cohortId) throw new Error('a member needs a cohort in the subnet');
    await db('memberships').insert({
      user_id: id,
      subnet_id: spec.subnetId,
      cohort_id: staff ? null : spec.cohortId,
      private_reference: spec.privateReference ?? null,
      ...(spec.startedAt ? { started_at: spec.startedAt } : {}),
    });
  }
  return { id, username, nickname };
}

export interface MadeSubnet {
  id: string;
  slug: string;
  /** Cohort ids by slug. */
  cohorts: Record<string, string>;
}

/** A subnet with its cohorts (by slug): `await makeSubnet(db, { cohorts: ['a', 'b'] })`. */
export async function makeSubnet(
  db: Db,
  spec: { slug?: string; name?: string; cohorts?: string[] } = {},
): Promise<MadeSubnet> {
  const slug = spec.slug ?? `subnet-${unique()}`;
  const [{ id }] = await db('subnets')
    .insert({ slug, name: spec.name ?? `Subnet ${slug}` })
    .returning('id');
  const cohorts: Record<string, string> = {};
  for (const c of spec.cohorts ?? ['everyone']) {
    const [row] = await db('cohorts').insert({ subnet_id: id, slug: c, name: c }).returning('id');
    cohorts[c] = row.id;
  }
  return { id, slug, cohorts };
}

/** A room of a kind in a subnet, open to the given cohorts (all of the subnet's cohorts by default). */
export async function makeRoom(
  db: Db,
  spec: { subnetId: string; kind?: RoomKind; name?: string; cohortIds?: string[] },
): Promise<string> {
  const kind = spec.kind ?? 'living_room';
  const [{ id }] = await db('rooms')
    .insert({ subnet_id: spec.subnetId, kind, name: spec.name ?? `${kind} ${unique()}` })
    .returning('id');
  const cohortIds = spec.cohortIds ?? (await db('cohorts').where({ subnet_id: spec.subnetId }).pluck('id'));
  if (cohortIds.length)
    await db('room_audiences').insert(
      cohortIds.map((cohortId: string) => ({ room_id: id, subnet_id: spec.subnetId, cohort_id: cohortId })),
    );
  return id;
}

export interface MessageSpec {
  roomId: string;
  authorId: string;
  body?: string;
  status?: 'visible' | 'held' | 'removed' | 'declined';
  /** The rule that held it (chat/held-reason.ts), with `status: 'held'`. */
  heldReason?: string;
  createdAt?: Date;
}

/** A chat message, written as the app writes it (the author's role at the time recorded with it); returns its id. */
export async function makeMessage(db: Db, spec: MessageSpec): Promise<number> {
  const [{ id }] = await db('messages').insert(messageRow(db, spec)).returning('id');
  return Number(id);
}

/** Many chat messages in one insert (for history pages and counts); returns their ids in order. */
export async function makeMessages(db: Db, specs: MessageSpec[]): Promise<number[]> {
  const rows: { id: string | number }[] = await db('messages')
    .insert(specs.map((s) => messageRow(db, s)))
    .returning('id');
  return rows.map((r) => Number(r.id));
}

function messageRow(db: Db, spec: MessageSpec) {
  return {
    room_id: spec.roomId,
    author_id: spec.authorId,
    client_id: randomUUID(),
    body: spec.body ?? `message ${unique()}`,
    author_role: db('users').where({ id: spec.authorId }).select('role'),
    ...(spec.status ? { status: spec.status } : {}),
    ...(spec.heldReason ? { held_reason: spec.heldReason } : {}),
    ...(spec.createdAt ? { created_at: spec.createdAt } : {}),
  };
}

/** An open report of a message by a member; returns its id. */
export async function makeReport(
  db: Db,
  spec: { messageId: number; reporterId: string; reason?: string },
): Promise<number> {
  const [{ id }] = await db('reports')
    .insert({ message_id: spec.messageId, reporter_id: spec.reporterId, reason: spec.reason ?? 'a test report' })
    .returning('id');
  return Number(id);
}
