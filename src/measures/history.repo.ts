import type { Db } from '../db/knex.js';
import { toMeasureResponse, type MeasureResponse } from './measure-response.js';

/** A member's answered and declined measures in one subnet, oldest first. */
export async function memberHistory(db: Db, userId: string, subnetId: string): Promise<MeasureResponse[]> {
  const rows = await db('measure_responses')
    .where({ user_id: userId, subnet_id: subnetId })
    .orderBy([{ column: 'answered_at' }, { column: 'id' }]);
  return rows.map(toMeasureResponse);
}

/** A member's measures in every subnet they answered in, oldest first (their own progress page). */
export async function ownHistory(db: Db, userId: string): Promise<MeasureResponse[]> {
  const rows = await db('measure_responses')
    .where({ user_id: userId })
    .orderBy([{ column: 'answered_at' }, { column: 'id' }]);
  return rows.map(toMeasureResponse);
}
