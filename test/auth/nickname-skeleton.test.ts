import { describe, expect, it } from 'vitest';
import data from 'unhomoglyph/data.json' with { type: 'json' };
import { nicknameSkeleton } from '../../src/auth/nickname-skeleton.js';

// Written as data: each row is a nickname someone might choose and the existing one it imitates.
const LOOK_ALIKES: [chosen: string, existing: string, why: string][] = [
  ['WiIlow', 'Willow', 'capital I for l'],
  ['Wi11ow', 'Willow', 'digit 1 for l'],
  ['Wi|low', 'Willow', 'bar for l'],
  ['wILLOW', 'Willow', 'case'],
  ['Wíllow', 'Willow', 'an accent'],
  ['Wiliow', 'Willow', 'i for l'],
  ['VVillow', 'Willow', 'vv for w'],
  ['Ｗｉｌｌｏｗ', 'Willow', 'full-width letters (NFKC)'],
  ['Sàm', 'Sam', 'an accent'],
  ['Sarn', 'Sam', 'rn for m'],
  ['5am', 'Sam', 'digit 5 for S'],
  ['\u0405\u0430m', 'Sam', 'Cyrillic S and a'],
  ['R0wan', 'Rowan', 'digit 0 for o'],
  ['Dr R\u043Ewan', 'Dr Rowan', 'Cyrillic o'],
  ['\u0397azel', 'Hazel', 'Greek capital eta for H'],
  ['Juni\u0440\u0435r', 'Juniper', 'Cyrillic p and e'],
  ['8ella', 'Bella', 'digit 8 for B'],
  ['Straße', 'STRASSE', 'sharp s folds to ss'],
];

const DIFFERENT: [string, string][] = [
  ['Willa', 'Willow'],
  ['Will', 'Willow'],
  ['Sam', 'Pam'],
  ['Sam', 'Sami'],
  ['Hazel', 'Hazed'],
  ['Juniper', 'Jupiter'],
  ['Rowan', 'Rowen'],
  ['Dr Rowan', 'DrRowan'],
  ['Bella', 'Della'],
  ['Quiet Fern', 'Quiet Fen'],
];

describe('nickname skeletons', () => {
  for (const [chosen, existing, why] of LOOK_ALIKES) {
    it(`${chosen} looks like ${existing} (${why})`, () => {
      expect(nicknameSkeleton(chosen)).toBe(nicknameSkeleton(existing));
    });
  }

  for (const [a, b] of DIFFERENT) {
    it(`${a} and ${b} stay apart`, () => {
      expect(nicknameSkeleton(a)).not.toBe(nicknameSkeleton(b));
    });
  }

  it('a skeleton is its own skeleton, for every character of the confusables table', () => {
    const unstable = Object.keys(data).filter((c) => {
      const once = nicknameSkeleton(`a${c}b`);
      return nicknameSkeleton(once) !== once;
    });
    expect(unstable).toEqual([]);
  });
});
