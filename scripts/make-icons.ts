/**
 * One-off: draws SHaRON's app icons (NHS blue with a white "S") into public/icons as PNGs, with
 * nothing but node:zlib. Run `npx tsx scripts/make-icons.ts` after changing the drawing; the
 * PNGs are committed. Maskable icons keep the mark inside the central 80% circle (the safe zone a
 * phone may crop to any shape), so their mark is smaller and the blue runs to every edge.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const NHS_BLUE = [0x00, 0x5e, 0xb8];
const WHITE = [0xff, 0xff, 0xff];

// The "S" in glyph units: two stroked circles that meet in the middle, each with a gap cut out.
const R = 0.23; // radius of each bowl's centre line
const HALF_STROKE = 0.085;
const TOP = { x: 0, y: -R };
const BOTTOM = { x: 0, y: R };
const deg = (a: number) => (a * 180) / Math.PI;

/** Is the glyph point (x, y) (origin at the S's centre, y down) on the stroke of the S? */
function onS(x: number, y: number): boolean {
  for (const [c, isTop] of [
    [TOP, true],
    [BOTTOM, false],
  ] as const) {
    const dx = x - c.x;
    const dy = y - c.y;
    if (Math.abs(Math.hypot(dx, dy) - R) > HALF_STROKE) continue;
    const a = deg(Math.atan2(dy, dx));
    // Top bowl: open on the right below its terminal; bottom bowl: open on the left above its terminal.
    if (isTop ? !(a > -25 && a < 90) : !(a > 155 || a < -90)) return true;
  }
  return false;
}

/** RGB pixels of a size x size icon whose S is `markHeight` of the side tall, 4x4 supersampled. */
function draw(size: number, markHeight: number): Buffer {
  const glyphHeight = 4 * R + 2 * HALF_STROKE;
  const scale = (markHeight * size) / glyphHeight;
  const rows: Buffer[] = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0 (None), then RGB
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++)
          if (onS((px + (sx + 0.5) / 4 - size / 2) / scale, (py + (sy + 0.5) / 4 - size / 2) / scale)) hits++;
      const t = hits / 16;
      for (let ch = 0; ch < 3; ch++)
        row[1 + px * 3 + ch] = Math.round((NHS_BLUE[ch] ?? 0) * (1 - t) + (WHITE[ch] ?? 0) * t);
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An 8-bit RGB PNG. */
function png(size: number, pixels: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// "any" icons: the S is 70% of the side; maskable: 50%, so the whole S (its corners included) stays
// well inside the safe zone's circle of radius 40% of the side.
for (const [name, size, markHeight] of [
  ['icon-192.png', 192, 0.7],
  ['icon-512.png', 512, 0.7],
  ['maskable-192.png', 192, 0.5],
  ['maskable-512.png', 512, 0.5],
  ['apple-touch-icon.png', 180, 0.6],
] as const) {
  writeFileSync(path.join(OUT, name), png(size, draw(size, markHeight)));
}
