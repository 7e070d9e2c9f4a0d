// The hand-written scanner must give exactly what the grammar (the specification) gives, and the
// reader's walk (what the Document reads) must give the same reading through either.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawLines } from '../../src/core/text.js';
import { grammar, read, XinetdLine } from '../../src/xinetd/reader.js';
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

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'xinetd');
const fixtureFiles = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name))
  .filter((f) => f.includes('/etc/'))
  .sort();

/** The file read through the scanner (the Document's way) and through the grammar: lines and reading. */
function bothWays(text: string) {
  const raws = rawLines(text);
  const scanned = raws.map((r) => new XinetdLine(r));
  const parsed = raws.map((r) => new XinetdLine(r, grammar));
  const view = (ls: XinetdLine[]) => ({ reading: read(ls), lines: ls.map((l) => ({ c: l.lineClass, w: l.words, a: l.attribute })) });
  return [view(scanned), view(parsed)] as const;
}

describe('the reader through the grammar', () => {
  it('reads every fixture file as it does through the scanner', () => {
    let entries = 0;
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(14);
    for (const file of fixtureFiles) {
      const [scanned, parsed] = bothWays(readFileSync(file, 'utf8'));
      entries += scanned.reading.entries.length;
      expect(parsed, file).toEqual(scanned);
    }
    expect(entries).toBeGreaterThanOrEqual(14);
  });

  it('reads generated files as it does through the scanner', () => {
    const structured = fc.constantFrom('service echo', 'defaults', 'include /etc/x', 'includedir /etc/xinetd.d', '{', '}', ' { ', '\tport = 7', '\tport=7', '\tuser', '\tflags += IPv4', '\tx - y', '# c', '', 'service', 'bogus line');
    const fileLine = fc.oneof({ weight: 3, arbitrary: structured }, { weight: 1, arbitrary: line });
    const file = fc.tuple(fc.array(fileLine, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([ls, eol, end]) => ls.join(eol) + (end ? eol : ''));
    fc.assert(
      fc.property(file, (text) => {
        const [scanned, parsed] = bothWays(text);
        expect(parsed).toEqual(scanned);
      }),
      { numRuns: 1000 },
    );
  });
});
