// The linear `%(NAME)s` scan finds exactly what the regexes it replaces find, on texts built from the
// characters that matter (`%`, `(`, `)`, `s`, `/`, a letter, a space, a non-ASCII letter).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentReferences, sectionReferences } from '../../src/fail2ban/config.js';

const piece = fc.constantFrom('%', '(', ')', 's', '/', 'a', ' ', 'é', '%(', ')s', '\n');
const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

describe('percentReferences', () => {
  it('finds what /%\\(([^)]+)\\)s/g finds', () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = [...t.matchAll(/%\(([^)]+)\)s/g)].map((m) => ({ index: m.index, name: m[1] }));
        expect(percentReferences(t)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it("sectionReferences finds what configparser's SECTION_OPTSUBST_RE finds", () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = [...t.matchAll(/%\(([\p{L}\p{N}_-]+\/([^)]+))\)s/gu)].map((m) => ({ sopt: m[1], opt: m[2] }));
        expect(sectionReferences(t)).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('fixed cases', () => {
    expect(percentReferences('%(a)s %(b)x %(c)s')).toEqual([{ index: 0, name: 'a' }, { index: 12, name: 'c' }]);
    expect(percentReferences('%(%(x)s')).toEqual([{ index: 0, name: '%(x' }]);
    expect(percentReferences('%()s %(%(')).toEqual([]);
    expect(percentReferences('%('.repeat(1000))).toEqual([]);
  });
});
