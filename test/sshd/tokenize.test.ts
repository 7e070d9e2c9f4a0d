// The hand-written scanner (src/sshd/tokenize.ts) against its specification, grammars/sshd.peggy:
// every start rule gives the same result on arbitrary lines, and the Document's line reader
// (line.ts's parseLine) gives the same line, on every field, when it reads through the grammar.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseGrammar } from '../../grammars/sshd.peggy';
import { rawLines } from '../../src/core/text.js';
import { parseLine, readLine, type LineReaders } from '../../src/sshd/line.js';
import { scanArgs, scanLine, scanStatement, scanTokens } from '../../src/sshd/tokenize.js';
import { configArb } from './generate.js';

/** The grammar's start rules as line readers. */
const GRAMMAR: LineReaders = {
  line: (s) => parseGrammar(s, { startRule: 'Line' }),
  statement: (s) => parseGrammar(s, { startRule: 'Statement' }),
  args: (s) => parseGrammar(s, { startRule: 'Args' }),
  tokens: (s) => parseGrammar(s, { startRule: 'Tokens' }),
};

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'sshd');
const fixtureFiles = (readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((f) => /(^|\/)sshd_config$|\.conf$/.test(f))
  .sort()
  .map((f) => join(FIXTURES, f));

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

describe('the Document\'s line reader through the grammar', () => {
  it('gives the same line on every line of every fixture', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(7);
    let directives = 0;
    for (const file of fixtureFiles) {
      for (const raw of rawLines(readFileSync(file, 'utf8'))) {
        const line = parseLine(raw);
        if (line.kind === 'directive') directives++;
        expect(readLine(raw, GRAMMAR), `${file}: ${JSON.stringify(raw)}`).toEqual(line);
      }
    }
    expect(directives).toBeGreaterThan(50);
  });

  it('gives the same line on generated files and arbitrary lines (NUL bytes and CRLF included)', () => {
    const raw = fc.oneof(
      configArb({ invalidRate: 0.3, crlf: true }).map((t) => rawLines(t)),
      fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n', '', '\0x\n')).map(([l, e]) => l + e), { maxLength: 6 }),
    );
    fc.assert(
      fc.property(raw, (lines) => {
        for (const l of lines) expect(readLine(l, GRAMMAR)).toEqual(parseLine(l));
      }),
      { numRuns: 500 },
    );
  });
});
