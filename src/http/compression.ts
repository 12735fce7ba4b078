import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import compression from 'compression';
import etag from 'etag';
import type { Request, RequestHandler, Response } from 'express';

/**
 * Text answers compressed (brotli when the browser accepts it, else gzip): pages, scripts, CSS,
 * JSON. On poor mobile signal a first visit moved 373 KiB, mostly the design system's CSS.
 * Uploaded files are never compressed here: PDFs and videos already are, and they are served
 * with byte ranges (Range and a compressed body do not mix).
 */
export function compressText(): RequestHandler {
  return compression({
    threshold: 1024,
    filter: (req: Request, res: Response) => !req.path.startsWith('/files/') && compression.filter(req, res),
  });
}

/** A fixed text asset compressed once, at start-up, at the highest levels (brotli 11, gzip 9). */
export interface Precompressed {
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/**
 * Sends a public answer that a browser may keep and check again (`no-cache`, `max-age`) with an
 * ETag, so that the check gets 304. The app computes none by itself (`etag` is off in app.ts):
 * signed-in pages are `no-store`, never checked again, and hashing each one cost about 60 µs.
 */
export function sendWithETag(res: Response, body: string | Buffer): void {
  res.set('ETag', etag(body, { weak: true })).send(body);
}

export function precompress(text: string): Precompressed {
  const identity = Buffer.from(text);
  return {
    identity,
    br: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    gzip: gzipSync(identity, { level: 9 }),
  };
}

/** Sends a precompressed asset in the best encoding the request accepts (Vary: Accept-Encoding). */
export function sendPrecompressed(req: Request, res: Response, asset: Precompressed): void {
  // Brotli first whenever it is accepted (browsers list gzip first but take either).
  const encoding = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : 'identity';
  res.vary('Accept-Encoding');
  if (encoding === 'br' || encoding === 'gzip') {
    sendWithETag(res.set('Content-Encoding', encoding), asset[encoding]);
    return;
  }
  sendWithETag(res, asset.identity);
}
