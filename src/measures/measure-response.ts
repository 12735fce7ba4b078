/** A member's answer to one occurrence of a measure (or their decision not to answer it). */
export interface MeasureResponse {
  id: string;
  userId: string;
  subnetId: string;
  instrumentKey: string;
  instrumentVersion: string;
  /** The scheduled occurrence this answers (joining + first, then every N days). */
  dueAt: Date;
  status: 'answered' | 'declined';
  /** Score chosen for each item, by linkId; null when declined. */
  itemScores: Record<string, number> | null;
  total: number | null;
  band: string | null;
  answeredAt: Date;
}

export const toMeasureResponse = (r: Record<string, unknown>): MeasureResponse => ({
  id: String(r.id),
  userId: r.user_id as string,
  subnetId: r.subnet_id as string,
  instrumentKey: r.instrument_key as string,
  instrumentVersion: r.instrument_version as string,
  dueAt: r.due_at as Date,
  status: r.status as MeasureResponse['status'],
  itemScores: (r.item_scores as Record<string, number> | null) ?? null,
  total: r.total === null || r.total === undefined ? null : Number(r.total),
  band: (r.band as string | null) ?? null,
  answeredAt: r.answered_at as Date,
});
