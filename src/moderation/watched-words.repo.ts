import type { Db } from '../db/knex.js';
import type { WatchAction } from '../chat/watched-words.js';

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
  const rows = await db('watched_words as w').leftJoin('rooms as r', 'r.id', 'w.room_id').where('w.subnet_id', subnetId)
    .orderByRaw('w.room_id NULLS FIRST, r.name, w.kind, lower(w.pattern)').select('w.*', 'r.name as room_name');
  return rows.map((r) => ({ id: Number(r.id), roomId: r.room_id, roomName: r.room_name, kind: r.kind, pattern: r.pattern, action: r.action }));
}

export async function insertWatchedWord(db: Db, w: { subnetId: string; roomId: string | null; kind: 'phrase' | 'builtin'; pattern: string; action: WatchAction; createdBy: string }): Promise<number> {
  const [row] = await db('watched_words').insert({ subnet_id: w.subnetId, room_id: w.roomId, kind: w.kind, pattern: w.pattern, action: w.action, created_by: w.createdBy }).returning('id');
  return Number(row.id);
}

export async function deleteWatchedWord(db: Db, subnetId: string, id: number): Promise<boolean> {
  return (await db('watched_words').where({ id, subnet_id: subnetId }).delete()) > 0;
}

/** Out of the box, a new subnet holds contact details. */
export async function insertDefaultWatchedWords(db: Db, subnetId: string): Promise<void> {
  await db('watched_words').insert(['email', 'phone', 'link'].map((pattern) => ({ subnet_id: subnetId, kind: 'builtin', pattern, action: 'hold' }))).onConflict().ignore();
}
