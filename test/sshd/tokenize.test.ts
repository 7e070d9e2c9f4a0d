// The hand-written scanner (src/sshd/tokenize.ts) against its specification, grammars/sshd.peggy:
// every start rule gives the same result on arbitrary lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseGrammar } from '../../grammars/sshd.peggy';
import { scanArgs, scanLine, scanStatement, scanTokens } from '../../src/sshd/tokenize.js';
import { configArb } from './generate.js';

/** Lines made of the characters the grammar treats specially, plus some ordinary ones. */
const special = fc.constantFrom(' ', '\t', '\r', '\n', '\f', '=', '"', "'", '\\', '#', 'a', 'B', '1', ':', ',', '*', '!', 'é', '\u00a0');
const lineArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: special, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: configArb({ invalidRate: 0.3 }).map((t) => t.split('\n')[0] ?? '') },
);

const RULES: [string, (s: string) => unknown][] = [
  ['Line', scanLine],
  ['Statement', scanStatement],
  ['Tokens', scanTokens],
  ['Args', scanArgs],
];

describe('scanner agrees with the grammar', () => {
  it.each(RULES)('%s on arbitrary lines', (rule, scan) => {
    fc.assert(
      fc.property(lineArb, (s) => {
        // Statement's input is a line body: non-empty, as Line leaves it.
        if (rule === 'Statement' && s === '') return;
        expect(scan(s)).toEqual(parseGrammar(s, { startRule: rule }));
      }),
      { numRuns: 3000 },
    );
  });

  it('Statement on line bodies of generated files', () => {
    fc.assert(
      fc.property(configArb({ invalidRate: 0.3, crlf: true }), (text) => {
        for (const raw of text.split('\n')) {
          const body = (parseGrammar(raw, { startRule: 'Line' }) as { body: string }).body;
          if (body === '') continue;
          expect(scanStatement(body)).toEqual(parseGrammar(body, { startRule: 'Statement' }));
        }
      }),
      { numRuns: 200 },
    );
  });
});
