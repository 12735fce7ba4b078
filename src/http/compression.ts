import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import compression from 'compression';
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
    res.set('Content-Encoding', encoding).send(asset[encoding]);
    return;
  }
  res.send(asset.identity);
}
