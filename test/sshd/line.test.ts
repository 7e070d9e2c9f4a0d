// The line reader (line.ts's parseLine, through grammars/sshd.peggy's Content and Tokens rules) on
// what servconf.c and misc.c do to a line: examples of each rule, and properties over arbitrary lines.
// The daemon's own reading of whole files is compared in the system tests (sshd -T).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawLines } from '../../src/core/text.js';
import { parseLine, parseLines, type SshdDirectiveLine } from '../../src/sshd/line.js';
import { parse } from '../../src/sshd/parse.js';
import { configArb } from './generate.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'sshd');
const fixtureFiles = (readdirSync(FIXTURES, { recursive: true }) as string[])
  .filter((f) => /(^|\/)sshd_config$|\.conf$/.test(f))
  .sort()
  .map((f) => join(FIXTURES, f));

function directive(raw: string): SshdDirectiveLine {
  const l = parseLine(raw);
  if (l.kind !== 'directive') throw new Error(`${JSON.stringify(raw)} is ${l.kind}`);
  return l;
}
const values = (raw: string) => directive(raw).args.map((a) => a.value);

describe('parseLine reads a line as sshd does', () => {
  it('keyword, separator and rest: space, "=", or both; the trailing [ \\t\\r\\n\\f] stripped', () => {
    expect(directive('Port 2201\n')).toMatchObject({ keyword: 'Port', separator: ' ', rest: '2201', restStart: 5, keywordStart: 0, keywordEnd: 4 });
    expect(directive('Port=2201')).toMatchObject({ separator: '=', rest: '2201' });
    expect(directive('Port \t= 2201')).toMatchObject({ separator: ' \t= ', rest: '2201', restStart: 8 });
    expect(directive('  \tPort  2201 \t\r\f\r\n')).toMatchObject({ indent: '  \t', keywordStart: 3, rest: '2201', args: [{ value: '2201', start: 9, end: 13 }] });
    expect(directive('Port')).toMatchObject({ rest: null, separator: '' });
    expect(directive('Port \f ')).toMatchObject({ rest: null, separator: '' });
    expect(directive('Port =')).toMatchObject({ rest: '', separator: ' =' });
  });

  it('never strips the first character of the body: a lone form feed is a keyword', () => {
    expect(directive('\f')).toMatchObject({ keyword: '\f', rest: null });
    expect(directive(' \f \f\n')).toMatchObject({ indent: ' ', keyword: '\f', keywordStart: 1 });
    expect(parseLine(' \t\r\n').kind).toBe('blank');
  });

  it('comments, empty tokens and unterminated quotes in the keyword', () => {
    expect(parseLine('# Port 22').kind).toBe('comment');
    expect(parseLine('#Port 22').kind).toBe('comment');
    expect(parseLine('= # x').kind).toBe('comment');
    expect(parseLine('= ').kind).toBe('comment');
    expect(parseLine('#abc"def').kind).toBe('ignored');
    expect(parseLine('Port"22').kind).toBe('ignored');
    expect(directive('=Port 22')).toMatchObject({ keyword: 'Port', keywordStart: 1, rest: '22' });
    expect(directive('"" Port 22')).toMatchObject({ keyword: 'Port', keywordStart: 3 });
    expect(directive('"Po"rt 22')).toMatchObject({ keyword: 'Po', separator: '', rest: 'rt 22' });
  });

  it('arguments as argv_split splits them: quotes, escapes, comments', () => {
    expect(directive('Banner "a b" c')).toMatchObject({ args: [{ value: 'a b', raw: '"a b"', quoted: true }, { value: 'c', quoted: false }] });
    expect(values('Banner a"b c"d \'e f\'')).toEqual(['ab cd', 'e f']);
    expect(values('Banner a\\ b')).toEqual(['a b']);
    expect(values('Banner a\\ ')).toEqual(['a\\']);
    expect(values('Banner "a\\"b" \'c\\\\d\' e\\f')).toEqual(['a"b', 'c\\d', 'e\\f']);
    expect(directive('Banner a # note \t')).toMatchObject({ args: [{ value: 'a' }], comment: '# note' });
    expect(values('Banner a#b')).toEqual(['a#b']);
    expect(directive('Banner "abc  ')).toMatchObject({ invalidQuotes: true, args: [{ value: 'abc', raw: '"abc', quoted: true }] });
    expect(directive('Banner a\fb')).toMatchObject({ args: [{ value: 'a\fb' }] });
  });

  it('Match lines: the strdelim() tokens of the rest, with offsets in the line', () => {
    const raw = 'Match User a,b Address="10.0.0.0/8"\n';
    const d = directive(raw);
    expect(d.tokens!.map((t) => t.value)).toEqual(['User', 'a,b', 'Address', '10.0.0.0/8']);
    expect(d.tokens!.map((t) => raw.slice(t.start, t.end))).toEqual(['User', 'a,b', 'Address', '"10.0.0.0/8"']);
    expect(directive('Match User "ab').tokens!.at(-1)!.value).toBeNull();
    expect(directive('Port 22').tokens).toBeNull();
  });

  it('drops what follows a NUL byte', () => {
    expect(directive('Port 22\0 33\n')).toMatchObject({ rest: '22', nul: 7 });
    expect(parseLine('\0Port 22').kind).toBe('blank');
  });
});

/** Lines made of the characters sshd treats specially, plus some ordinary ones. */
const special = fc.constantFrom(' ', '\t', '\r', '\n', '\f', '=', '"', "'", '\\', '#', 'a', 'B', '1', ':', ',', '*', '!', 'é', '\u00a0', '\0');
const lineArb = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: special, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: configArb({ invalidRate: 0.3 }).map((t) => t.split('\n')[0] ?? '') },
);
const tail = fc.string({ unit: fc.constantFrom(' ', '\t', '\r', '\n', '\f'), maxLength: 4 });

/** What a read line says of its own text: every offset slices the content to the text it names. */
function selfConsistent(raw: string): void {
  const l = parseLine(raw);
  if (l.kind !== 'directive') return;
  const line = raw.split('\n')[0]!;
  const content = l.nul !== null ? line.slice(0, l.nul) : line;
  expect(content.slice(0, l.indent.length)).toBe(l.indent);
  expect(l.keywordStart).toBeGreaterThanOrEqual(l.indent.length);
  if (l.rest !== null) {
    expect(content.slice(l.restStart, l.restStart + l.rest.length)).toBe(l.rest);
    expect(l.rest).not.toMatch(/[ \t\r\n\f]$/);
    expect(/^[ \t\r\n\f]*$/.test(content.slice(l.restStart + l.rest.length))).toBe(true);
  }
  for (const a of l.args) {
    expect(content.slice(a.start, a.end)).toBe(a.raw);
    expect(a.column).toBe(a.start + 1);
  }
  for (const t of l.tokens ?? []) expect(t.end).toBeGreaterThanOrEqual(t.start);
}

describe('parseLine properties', () => {
  it('offsets slice the line to the texts they name, on arbitrary lines', () => {
    fc.assert(fc.property(lineArb, (s) => selfConsistent(s)), { numRuns: 5000 });
  });

  it('a tail of [ \\t\\r\\n\\f] after a line that is not blank changes nothing', () => {
    fc.assert(
      fc.property(lineArb.filter((s) => !s.includes('\0')), tail, (s, t) => {
        const line = s.replace(/\n/g, ' ');
        if (parseLine(line).kind === 'blank') return;
        expect(parseLine(line + t)).toEqual(parseLine(line));
      }),
      { numRuns: 3000 },
    );
  });

  it('arguments spelled with quotes and escapes read back', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '"', "'", '\\', '#', '\t', 'b'), maxLength: 6 }), { minLength: 1, maxLength: 4 }), (args) => {
        const spelled = args.map((a) => '"' + a.replace(/[\\"]/g, (c) => '\\' + c) + '"').join(' ');
        expect(values(`Banner ${spelled}`)).toEqual(args);
      }),
      { numRuns: 300 },
    );
  });

  it('plain arguments are the rest split at blanks, up to a "#" word', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '#', '=', ',', '/', '1'), minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), fc.constantFrom(' ', '\t', ' \t '), (words, gap) => {
        // A first word starting with "=" would be part of the separator.
        if (words[0]!.startsWith('=')) return;
        const d = directive(`Key ${words.join(gap)}`);
        const end = words.findIndex((w) => w.startsWith('#'));
        expect(d.args.map((a) => a.value)).toEqual(end < 0 ? words : words.slice(0, end));
        expect(d.comment).toBe(end < 0 ? null : words.slice(end).join(gap));
      }),
      { numRuns: 500 },
    );
  });

  it('reads every line of every fixture and of generated files, offsets consistent', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(7);
    let directives = 0;
    for (const file of fixtureFiles) {
      for (const raw of rawLines(readFileSync(file, 'utf8'))) {
        if (parseLine(raw).kind === 'directive') directives++;
        selfConsistent(raw);
      }
    }
    expect(directives).toBeGreaterThan(50);
    fc.assert(fc.property(configArb({ invalidRate: 0.3, crlf: true }), (text) => rawLines(text).forEach(selfConsistent)), { numRuns: 300 });
  });
});

describe('parseLines (one grammar call for a whole text)', () => {
  it('reads each line as parseLine reads it alone, on generated files and arbitrary lines', () => {
    const text = fc.oneof(
      configArb({ invalidRate: 0.3, crlf: true }),
      fc.array(fc.tuple(lineArb, fc.constantFrom('\n', '\r\n', '', '\0x\n')).map(([l, e]) => l + e), { maxLength: 8 }).map((ls) => ls.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(parseLines(t)).toEqual(rawLines(t).map(parseLine));
      }),
      { numRuns: 1000 },
    );
  });

  it('a document reads its lines through it, and an edited line afresh', () => {
    const doc = parse('Port 22\nBanner "a b"\n# c\n');
    doc.set('Port', '2201');
    expect(doc.get('port')).toBe('2201');
    expect(doc.get('banner')).toBe('a b');
    expect(doc.nodes.map((n) => n.parsed)).toEqual(rawLines(doc.toString()).map(parseLine));
  });
});
