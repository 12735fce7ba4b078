import type { Request } from 'express';
import busboy from 'busboy';

/** The largest definition file accepted, uploaded or pasted (PHQ-9's is about 5 KB). */
export const MAX_DEFINITION_BYTES = 64 * 1024;

export interface ReceivedDefinition {
  /** The pasted text (the textarea), kept to show again. */
  pasted: string;
  /** The uploaded file's text, when a file was chosen. */
  file: string | null;
  tooLarge: boolean;
  csrfOk: boolean;
}

/**
 * Reads the admin's definition form sent as multipart (a file input beside the textarea) with
 * busboy, in memory and bounded: the CSRF token must come first, as for every upload
 * (src/http/security.ts skips multipart bodies and leaves the check to the receiver).
 */
export async function receiveDefinition(
  req: Request,
  verifyCsrf: (req: Request, token: string | undefined) => boolean,
): Promise<ReceivedDefinition> {
  const out: ReceivedDefinition = { pasted: '', file: null, tooLarge: false, csrfOk: false };
  const bb = busboy({
    headers: req.headers,
    limits: { files: 1, fields: 5, fieldSize: MAX_DEFINITION_BYTES, fileSize: MAX_DEFINITION_BYTES, parts: 8 },
  });
  bb.on('field', (name, value, info) => {
    if (name === '_csrf') out.csrfOk = verifyCsrf(req, value);
    else if (name === 'definition') {
      out.pasted = value;
      out.tooLarge ||= info.valueTruncated;
    }
  });
  bb.on('file', (name, stream, info) => {
    const chunks: Buffer[] = [];
    if (!out.csrfOk || name !== 'file' || !info.filename) return void stream.resume();
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('limit', () => (out.tooLarge = true));
    stream.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.length > 0) out.file = text.replace(/^\uFEFF/, '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    bb.on('close', resolve);
    bb.on('error', reject);
    req.pipe(bb);
  });
  return out;
}
