import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { rulesInForce, type WatchRule } from './watched-words.js';

// Moderation's own rows written from chat and read by the cover rule: mutes, reports and alerts of
// chat messages, and the watched-word rules in force in a room. Other features reach them through
// moderation.service.ts; chat's send query composes muteQuery and rulesQuery into its one round trip.

/** When the member's mute in the room ends, or null. */
export async function findMuteUntil(db: Db, roomId: string, userId: string): Promise<Date | null> {
  const row = await muteQuery(db, roomId, userId).first();
  return (row?.until as Date | null | undefined) ?? null;
}

export function muteQuery(db: Db, roomId: string, userId: string) {
  return db('mutes').where({ room_id: roomId, user_id: userId }).where('until', '>', db.fn.now()).max('until as until');
}

export async function insertMute(
  db: Db,
  roomId: string,
  userId: string,
  by: string,
  until: Date,
  reason: string | null,
): Promise<void> {
  await db('mutes').insert({ room_id: roomId, user_id: userId, muted_by: by, until, reason });
}

/** Records a report; false when this person had already reported this message. */
export async function insertReport(
  db: Db,
  messageId: number,
  reporterId: string,
  reason: string,
): Promise<number | null> {
  const rows = await db('reports')
    .insert({ message_id: messageId, reporter_id: reporterId, reason })
    .onConflict(['message_id', 'reporter_id'])
    .ignore()
    .returning('id');
  return rows[0]?.id ?? null;
}

export async function insertAlert(db: Db, subnetId: string, messageId: number, matched: string): Promise<number> {
  const [row] = await db('alerts').insert({ subnet_id: subnetId, message_id: messageId, matched }).returning('id');
  return row.id;
}

/**
 * An alert on a member's answer to a measure (alerts.measure_response_id), in the caller's
 * transaction; returns its id and whose answer it is (for the staff pages' live signal).
 * @throws when no such response exists in the subnet (the foreign key or the lookup).
 */
export async function insertMeasureAlert(
  db: Db,
  subnetId: string,
  responseId: number,
  matched: string,
): Promise<{ id: number; userId: string; nickname: string }> {
  const [row] = await db('alerts')
    .insert({ subnet_id: subnetId, measure_response_id: responseId, matched })
    .returning('id');
  const who = await db('measure_responses as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where({ 'r.id': responseId, 'r.subnet_id': subnetId })
    .first('u.id as user_id', 'u.nickname');
  if (!who) throw new Error(`measure response ${responseId} is not of subnet ${subnetId}`);
  return { id: Number(row.id), userId: who.user_id as string, nickname: who.nickname as string };
}

/** The watched-word rules in force in a room: the safety baseline, the subnet's and the room's own. */
export async function findRulesForRoom(db: Db, subnetId: string, roomId: string): Promise<WatchRule[]> {
  return toRules(await rulesQuery(db, subnetId, roomId));
}

/**
 * A subnet's watched words (the subnet as an id or an SQL expression) and the room's own, with the
 * baseline holds the subnet switched off (rows with `switched_off`), in one query: `toRules` makes
 * them the rules in force.
 */
export function rulesQuery(db: Db, subnet: string | Knex.Raw, roomId: string) {
  const stored = db('watched_words')
    .where('subnet_id', subnet)
    .andWhere((q) => q.whereNull('room_id').orWhere('room_id', roomId))
    .select('id', 'kind', 'pattern', 'action', db.raw('false AS switched_off'));
  const off = db('baseline_holds_off')
    .where('subnet_id', subnet)
    .select(
      db.raw('NULL::bigint AS id'),
      db.raw(`'builtin' AS kind`),
      'detector AS pattern',
      db.raw(`'hold' AS action`),
      db.raw('true AS switched_off'),
    );
  return db.from(stored.unionAll(off).as('r')).orderBy('id').select('*');
}

const toRule = (r: Record<string, unknown>): WatchRule => ({
  id: Number(r.id),
  kind: r.kind as WatchRule['kind'],
  pattern: r.pattern as string,
  action: r.action as WatchRule['action'],
});

/** The rows of `rulesQuery` as the rules in force (the baseline included). */
export const toRules = (rows: Record<string, unknown>[]): WatchRule[] =>
  rulesInForce(
    rows.filter((r) => !r.switched_off).map(toRule),
    rows.filter((r) => r.switched_off).map((r) => r.pattern as string),
  );
