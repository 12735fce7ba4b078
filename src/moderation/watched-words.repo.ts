import type { Db } from '../db/knex.js';
import type { WatchAction } from './watched-words.js';

export interface WatchedWordRow {
  id: number;
  roomId: string | null;
  roomName: string | null;
  kind: 'phrase' | 'builtin';
  pattern: string;
  action: WatchAction;
}

/** A subnet's rules, subnet-wide first, then by room. */
export async function listWatchedWords(db: Db, subnetId: string): Promise<WatchedWordRow[]> {
  const rows = await db('watched_words as w')
    .leftJoin('rooms as r', 'r.id', 'w.room_id')
    .where('w.subnet_id', subnetId)
    .orderByRaw('w.room_id NULLS FIRST, r.name, w.kind, lower(w.pattern)')
    .select('w.*', 'r.name as room_name');
  return rows.map((r) => ({
    id: Number(r.id),
    roomId: r.room_id,
    roomName: r.room_name,
    kind: r.kind,
    pattern: r.pattern,
    action: r.action,
  }));
}

export async function insertWatchedWord(
  db: Db,
  w: {
    subnetId: string;
    roomId: string | null;
    kind: 'phrase' | 'builtin';
    pattern: string;
    action: WatchAction;
    createdBy: string;
  },
): Promise<number> {
  const [row] = await db('watched_words')
    .insert({
      subnet_id: w.subnetId,
      room_id: w.roomId,
      kind: w.kind,
      pattern: w.pattern,
      action: w.action,
      created_by: w.createdBy,
    })
    .returning('id');
  return Number(row.id);
}

export async function deleteWatchedWord(db: Db, subnetId: string, id: number): Promise<boolean> {
  return (await db('watched_words').where({ id, subnet_id: subnetId }).delete()) > 0;
}

/** A baseline hold a subnet switched off: which, why, by whom (their nickname) and when. */
export interface BaselineHoldOffRow {
  detector: string;
  reason: string;
  byNickname: string;
  at: Date;
}

export async function listBaselineHoldsOff(db: Db, subnetId: string): Promise<BaselineHoldOffRow[]> {
  const rows = await db('baseline_holds_off as b')
    .join('users as u', 'u.id', 'b.switched_off_by')
    .where('b.subnet_id', subnetId)
    .select('b.detector', 'b.reason', 'b.switched_off_at', 'u.nickname');
  return rows.map((r) => ({ detector: r.detector, reason: r.reason, byNickname: r.nickname, at: r.switched_off_at }));
}

/** Records a baseline hold as switched off; false when it already was. */
export async function insertBaselineHoldOff(
  db: Db,
  h: { subnetId: string; detector: string; reason: string; by: string },
): Promise<boolean> {
  const rows = await db('baseline_holds_off')
    .insert({ subnet_id: h.subnetId, detector: h.detector, reason: h.reason, switched_off_by: h.by })
    .onConflict(['subnet_id', 'detector'])
    .ignore()
    .returning('detector');
  return rows.length > 0;
}

/** Switches a baseline hold back on; false when it was on. */
export async function deleteBaselineHoldOff(db: Db, subnetId: string, detector: string): Promise<boolean> {
  return (await db('baseline_holds_off').where({ subnet_id: subnetId, detector }).delete()) > 0;
}
