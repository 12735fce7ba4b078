import type { Db } from '../db/knex.js';

export interface VideoRow {
  id: string;
  roomId: string;
  title: string;
  description: string;
  transcript: string;
  videoFileId: string;
  videoMime: string;
  posterFileId: string | null;
  captionsFileId: string | null;
  status: 'draft' | 'published';
  createdAt: Date;
}

const base = (db: Db) =>
  db('videos as v').join('files as f', 'f.id', 'v.video_file_id').select('v.*', 'f.mime as video_mime');

function toVideo(r: Record<string, unknown>): VideoRow {
  return {
    id: r.id as string,
    roomId: r.room_id as string,
    title: r.title as string,
    description: r.description as string,
    transcript: r.transcript as string,
    videoFileId: r.video_file_id as string,
    videoMime: r.video_mime as string,
    posterFileId: r.poster_file_id as string | null,
    captionsFileId: r.captions_file_id as string | null,
    status: r.status as 'draft' | 'published',
    createdAt: r.created_at as Date,
  };
}

export async function listVideos(db: Db, roomId: string, includeDrafts: boolean): Promise<VideoRow[]> {
  const q = base(db).where('v.room_id', roomId).orderBy('v.created_at', 'desc');
  if (!includeDrafts) q.where('v.status', 'published');
  return (await q).map(toVideo);
}

export async function findVideo(db: Db, id: string): Promise<VideoRow | undefined> {
  const r = await base(db).where('v.id', id).first();
  return r ? toVideo(r) : undefined;
}

export interface VideoWrite {
  title: string;
  description: string;
  transcript: string;
  status: 'draft' | 'published';
  videoFileId?: string;
  posterFileId?: string | null;
  captionsFileId?: string | null;
}

function columns(w: VideoWrite): Record<string, unknown> {
  return {
    title: w.title,
    description: w.description,
    transcript: w.transcript,
    status: w.status,
    ...(w.videoFileId ? { video_file_id: w.videoFileId } : {}),
    ...(w.posterFileId !== undefined ? { poster_file_id: w.posterFileId } : {}),
    ...(w.captionsFileId !== undefined ? { captions_file_id: w.captionsFileId } : {}),
  };
}

export async function insertVideo(db: Db, roomId: string, w: VideoWrite, by: string | null): Promise<string> {
  const [row] = await db('videos')
    .insert({
      ...columns(w),
      room_id: roomId,
      created_by: by,
      published_at: w.status === 'published' ? db.fn.now() : null,
    })
    .returning('id');
  return row.id;
}

export async function updateVideo(db: Db, id: string, w: VideoWrite): Promise<void> {
  await db('videos')
    .where({ id })
    .update({
      ...columns(w),
      updated_at: db.fn.now(),
      published_at: w.status === 'published' ? db.raw('coalesce(published_at, now())') : null,
    });
}

export async function setVideoStatus(db: Db, id: string, status: 'draft' | 'published'): Promise<void> {
  await db('videos')
    .where({ id })
    .update({
      status,
      updated_at: db.fn.now(),
      published_at: status === 'published' ? db.raw('coalesce(published_at, now())') : null,
    });
}
