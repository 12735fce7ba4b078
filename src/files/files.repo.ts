import type { Db } from '../db/knex.js';
import type { ReceivedFile } from './uploads.js';

export interface FileRow {
  id: string;
  storageName: string;
  originalName: string;
  mime: string;
  size: number;
}

export async function insertFile(db: Db, f: ReceivedFile, createdBy: string | null): Promise<string> {
  const [row] = await db('files')
    .insert({
      storage_name: f.storageName,
      original_name: f.originalName,
      mime: f.mime,
      size: f.size,
      created_by: createdBy,
    })
    .returning('id');
  return row.id;
}

export async function findFile(db: Db, id: string): Promise<FileRow | undefined> {
  const r = await db('files').where({ id }).first();
  return r
    ? { id: r.id, storageName: r.storage_name, originalName: r.original_name, mime: r.mime, size: Number(r.size) }
    : undefined;
}

/** Where a file is used: the room and whether the item or video holding it is published. */
export async function findFileOwner(
  db: Db,
  fileId: string,
): Promise<{ roomId: string; published: boolean } | undefined> {
  const row = await db
    .select('room_id', 'status')
    .from('library_items')
    .where('attachment_file_id', fileId)
    .unionAll((q) =>
      q
        .select('room_id', 'status')
        .from('videos')
        .where((w) =>
          w.where('video_file_id', fileId).orWhere('poster_file_id', fileId).orWhere('captions_file_id', fileId),
        ),
    )
    .first();
  return row ? { roomId: row.room_id, published: row.status === 'published' } : undefined;
}
