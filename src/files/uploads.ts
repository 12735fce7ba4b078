import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import busboy from 'busboy';
import { fileTypeFromFile } from 'file-type';
import type { FieldError } from '../http/forms.js';
import type { CsrfVerifier } from '../http/security.js';

/** What a form accepts in one file field. */
export interface FileRule {
  label: string;
  maxBytes: number;
  /** Allowed content types, as detected from the bytes (never from the name). */
  types: readonly (
    'video/mp4' | 'video/webm' | 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'text/vtt'
  )[];
}

export interface ReceivedFile {
  field: string;
  originalName: string;
  mime: string;
  size: number;
  /** A random name inside the upload directory. */
  storageName: string;
}

export interface Received {
  fields: Record<string, string>;
  files: Record<string, ReceivedFile>;
  errors: FieldError[];
  /** True when a file was over its size limit (answer 413). */
  tooLarge: boolean;
  csrfOk: boolean;
}

const MAX_FIELD_BYTES = 256 * 1024;

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`;
}

/** WebVTT has no magic number for file-type: it is text that starts "WEBVTT" (after an optional BOM). */
async function isWebVtt(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(16), 0, 16, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    return /^WEBVTT([ \t\r\n]|$)/.test(head);
  } finally {
    await fh.close();
  }
}

async function detectType(file: string, rule: FileRule): Promise<string | null> {
  const detected = await fileTypeFromFile(file);
  if (detected && (rule.types as readonly string[]).includes(detected.mime)) return detected.mime;
  if (!detected && rule.types.includes('text/vtt') && (await isWebVtt(file))) return 'text/vtt';
  return null;
}

/**
 * Streams a multipart form: fields into memory (bounded), files straight to disk under random
 * names, never whole in memory. The CSRF token must arrive as a field before any file. Each file
 * is checked against its rule by size while streaming and by content (magic bytes) afterwards; a
 * refused file is deleted. An empty file input (nothing chosen) is ignored.
 */
export async function receiveUpload(
  req: Request,
  rules: Record<string, FileRule>,
  uploadDir: string,
  verifyCsrf: CsrfVerifier,
): Promise<Received> {
  await mkdir(uploadDir, { recursive: true, mode: 0o700 });
  const out: Received = { fields: {}, files: {}, errors: [], tooLarge: false, csrfOk: false };
  const writes: Promise<void>[] = [];
  const bb = busboy({
    headers: req.headers,
    limits: { files: Object.keys(rules).length, fields: 40, fieldSize: MAX_FIELD_BYTES, parts: 60 },
  });

  bb.on('field', (name, value) => {
    if (name === '_csrf') out.csrfOk = verifyCsrf(req, value);
    else if (!(name in out.fields) && name !== '__proto__' && name !== 'constructor') out.fields[name] = value;
  });

  bb.on('file', (field, stream, info) => {
    const rule = rules[field];
    if (!out.csrfOk || !rule || !info.filename) {
      stream.resume();
      return;
    }
    const storageName = randomBytes(24).toString('hex');
    const tmp = path.join(uploadDir, `${storageName}.part`);
    let size = 0;
    let tooLarge = false;
    // Over the limit, the rest of the file is read and dropped (never written, never buffered),
    // so the request finishes and the person gets a clear answer rather than a broken connection.
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > rule.maxBytes) tooLarge = true;
        done(null, tooLarge ? undefined : chunk);
      },
    });
    writes.push(
      pipeline(stream, counter, createWriteStream(tmp, { mode: 0o600 }))
        .then(async () => {
          const mime = tooLarge ? null : await detectType(tmp, rule);
          if (!mime) {
            await unlink(tmp);
            out.tooLarge ||= tooLarge;
            out.errors.push({
              field,
              message: tooLarge
                ? `The ${rule.label} must be smaller than ${formatBytes(rule.maxBytes)}`
                : `The ${rule.label} must be ${rule.types.map((t) => t.split('/')[1]?.toUpperCase()).join(' or ')}. The file you chose is not`,
            });
            return;
          }
          await rename(tmp, path.join(uploadDir, storageName));
          out.files[field] = { field, originalName: (info.filename ?? 'file').slice(0, 200), mime, size, storageName };
        })
        .catch(async () => {
          stream.resume();
          await unlink(tmp).catch(() => undefined);
          out.errors.push({ field, message: `The ${rule.label} could not be saved. Try again` });
        }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    bb.on('close', resolve);
    bb.on('error', reject);
    req.pipe(bb);
  });
  await Promise.all(writes);
  return out;
}

/** Deletes stored files (a form that failed validation after its files arrived). */
export async function discardFiles(uploadDir: string, files: Iterable<ReceivedFile>): Promise<void> {
  for (const f of files) await unlink(path.join(uploadDir, f.storageName)).catch(() => undefined);
}
