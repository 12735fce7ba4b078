import unhomoglyph from 'unhomoglyph';

// Look-alikes that Unicode's table (TR39 confusables.txt, as packaged by unhomoglyph) leaves
// apart once case is folded: it maps I and 1 to l but not i, has no 5/S or 8/B, and maps m to rn
// but not w to vv. Targets are never themselves mapped, so one pass is enough.
const AFTER_FOLDING: Record<string, string> = { i: 'l', '5': 's', '8': 'b', w: 'vv' };

// The table can map a character to one that it maps again (at most three steps today).
const MAX_PASSES = 6;

/** NFKC, full case folding (upper then lower: ß to ss), then diacritics removed (NFD, marks dropped). */
const fold = (s: string): string =>
  s.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');

/**
 * A nickname's confusable skeleton (Unicode TR39 style, folded for case and accents): two
 * nicknames that look alike have the same skeleton, so `WiIlow`, `Wi11ow`, `wILLOW` and `Wíllow`
 * all collide with `Willow`, and `Sàm`, `5am`, `Sarn` and Cyrillic `Ѕаm` with `Sam`. Not for
 * display: `m` becomes `rn`, `w` becomes `vv`.
 *
 * Stored in users.nickname_skeleton: if the mapping (or the unhomoglyph version) changes, add a
 * migration that recomputes that column, or old and new skeletons will not meet.
 */
export function nicknameSkeleton(nickname: string): string {
  // The first pass maps the text before it is folded, so an upper-case look-alike (Greek Η for H)
  // is caught before case folding turns it into a different lower-case letter (η, like n).
  let s = nickname.normalize('NFKC');
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = fold(unhomoglyph(s));
    if (next === s) break;
    s = next;
  }
  return Array.from(s, (c) => AFTER_FOLDING[c] ?? c).join('');
}
