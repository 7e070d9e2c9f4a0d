// The hand-written scanner must give exactly what the grammar (the specification) gives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grammar } from '../../src/xinetd/reader.js';
import { scanAttribute, scanClass, scanWords } from '../../src/xinetd/scan.js';

const piece = fc.constantFrom(' ', '\t', '\v', '\f', '\r', '{', '}', '#', '=', '+', '-', '+=', '-=', 'a', 'port', 'service', 'é', '"', '\\');
const line = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));

describe('scan.ts agrees with grammars/xinetd.peggy', () => {
  it('on generated lines', () => {
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ maxLength: 30 })), (s) => {
        expect(scanClass(s)).toBe(grammar.lineClass(s));
        expect(scanWords(s)).toEqual(grammar.words(s));
        expect(scanAttribute(s)).toEqual(grammar.attribute(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('on typical lines', () => {
    for (const s of ['\tport = 22', 'port=22', '  {  ', '}\r', '\tlog_on_success\t+= HOST PID', 'a - = b', 'x', '', '# c', 'service x {']) {
      expect(scanClass(s)).toBe(grammar.lineClass(s));
      expect(scanWords(s)).toEqual(grammar.words(s));
      expect(scanAttribute(s)).toEqual(grammar.attribute(s));
    }
  });
});
