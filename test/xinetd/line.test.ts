// XinetdLine reads each line through grammars/xinetd.peggy: what it gives must be what xinetd 2.3.15
// reads (parsesup.c, parse.c; /work/shared/formats/xinetd.md). Generated lines are built from parts
// whose reading is known by construction, so each property states xinetd's rule, not a second reader.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawLines } from '../../src/core/text.js';
import { parse } from '../../src/xinetd/index.js';
import { read, XinetdLine, type Word } from '../../src/xinetd/reader.js';
import { readLines } from '../../src/xinetd/line.js';

const line = (content: string) => new XinetdLine(content + '\n');

// isspace() in the C locale, and str_parse()'s separators.
const space = fc.constantFrom(' ', '\t', '\v', '\f', '\r');
const spaces = fc.array(space, { maxLength: 4 }).map((a) => a.join(''));
const spaces1 = fc.array(space, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const seps = fc.array(fc.constantFrom(' ', '\t'), { minLength: 1, maxLength: 3 }).map((a) => a.join(''));
/** A run of characters that are neither space nor tab (\v, \f and \r are not str_parse() separators). */
const word = fc.array(fc.constantFrom('a', 'Z', '9', '=', '+', '-', '#', '{', '}', '"', '\\', 'é', '\v', '\f', '\r', '/'), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));
/** An attribute name: no isspace() character and no '='; starts with no '#', '{' or '}' so that the line stays a text line. */
const name = fc.tuple(fc.constantFrom('a', 'port', 'log_on_success', 'x.y', '+', '-', '"', 'é'), fc.array(fc.constantFrom('a', '_', '9', '#', '{', '}', '+', '-'), { maxLength: 4 })).map(([h, t]) => h + t.join(''));
const op = fc.constantFrom('=', '+=', '-=');

/** Words joined by separator runs, with the offsets each word must have. */
function joined(lead: string, parts: readonly (readonly [string, string])[]): { text: string; words: Word[] } {
  let text = lead;
  const words: Word[] = [];
  for (const [w, sep] of parts) {
    words.push({ text: w, start: text.length, end: text.length + w.length });
    text += w + sep;
  }
  return { text, words };
}
const wordsAfter = fc.tuple(fc.constantFrom('', ' ', '\t', ' \t '), fc.array(fc.tuple(word, seps), { maxLength: 5 }), fc.boolean());

describe('line classes (next_line, line_has_only_1_char)', () => {
  it('blank, comment, open and close lines, and every other line is text', () => {
    fc.assert(
      fc.property(spaces, spaces, fc.string({ maxLength: 8 }), (before, after, rest) => {
        expect(line(before + after).lineClass).toBe('blank');
        expect(line(before + '#' + rest).lineClass).toBe('comment');
        expect(line(before + '{' + after).lineClass).toBe('open');
        expect(line(before + '}' + after).lineClass).toBe('close');
        // A brace with anything but isspace() after it, and any other first character: text.
        expect(line(before + '{' + after + 'x' + rest).lineClass).toBe('text');
        expect(line(before + '}}' + after).lineClass).toBe('text');
        expect(line(before + 'x' + rest).lineClass).toBe('text');
      }),
      { numRuns: 500 },
    );
  });

  it('reads what xinetd sees: the CR of a CRLF ending is a space, a NUL byte ends the line', () => {
    expect(line('{\r').lineClass).toBe('open');
    expect(new XinetdLine('}\r\n').lineClass).toBe('close');
    expect(line('{\0 port = 7').lineClass).toBe('open');
    expect(line('\0service x').lineClass).toBe('blank');
    expect(line(' # a { b').lineClass).toBe('comment');
    expect(line('x # not a comment').attribute).toMatchObject({ type: 'error', error: 'bad-operator', opStart: 2 });
  });
});

describe('entry lines (str_parse(line, " \\t"))', () => {
  it('splits on space and tab only, runs collapsed, with each word\'s offsets', () => {
    fc.assert(
      fc.property(wordsAfter, ([lead, parts]) => {
        const { text, words } = joined(lead, parts);
        expect(line(text).words).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the CR of a CRLF ending on the last word; \\v and \\f are no separators', () => {
    expect(new XinetdLine('service echo\r\n').words.map((w) => w.text)).toEqual(['service', 'echo\r']);
    expect(line('\vservice\fx').words).toEqual([{ text: '\vservice\fx', start: 0, end: 10 }]);
  });
});

describe('attribute lines (get_attr_op, parse_line)', () => {
  it('name, at least one isspace() before the operator, the operator, values split on space and tab', () => {
    fc.assert(
      fc.property(spaces, name, spaces1, op, wordsAfter, (indent, n, gap, o, [lead, parts]) => {
        const head = indent + n + gap + o;
        const { text, words } = joined(head + lead, parts);
        const a = line(text).attribute;
        expect(a).toEqual({
          type: 'attribute',
          name: { text: n, start: indent.length, end: indent.length + n.length },
          op: o,
          opStart: indent.length + n.length + gap.length,
          opEnd: head.length,
          values: words,
        });
        expect(line(text).lineClass).toBe('text');
      }),
      { numRuns: 1000 },
    );
  });

  it("get_attr_op's errors: '=' right after the name, nothing after it, no operator after the gap", () => {
    fc.assert(
      fc.property(spaces, name, spaces1, fc.string({ maxLength: 6 }), fc.constantFrom('x', '+', '-', '+-', '#', '{', '=+'.slice(1)), (indent, n, gap, rest, bad) => {
        const nameWord = { text: n, start: indent.length, end: indent.length + n.length };
        expect(line(indent + n + '=' + rest).attribute).toEqual({ type: 'error', error: 'needs-space', name: nameWord });
        expect(line(indent + n + gap).attribute).toEqual({ type: 'error', error: 'nothing-after', name: nameWord });
        expect(line(indent + n).attribute).toEqual({ type: 'error', error: 'nothing-after', name: nameWord });
        // '+' or '-' not followed by '=' (the operator's characters are contiguous), or any other character.
        const tail = bad === '+' || bad === '-' ? bad + ' =' + rest : bad + rest;
        expect(line(indent + n + gap + tail).attribute).toEqual({ type: 'error', error: 'bad-operator', name: nameWord, opStart: indent.length + n.length + gap.length });
      }),
      { numRuns: 500 },
    );
  });

  it('reads a non-text line as an attribute line too when asked (a brace or comment inside an entry)', () => {
    expect(line('  {  ').attribute).toEqual({ type: 'error', error: 'nothing-after', name: { text: '{', start: 2, end: 3 } });
    expect(line('#c = 1').attribute).toMatchObject({ type: 'attribute', name: { text: '#c' }, op: '=', values: [{ text: '1', start: 5, end: 6 }] });
    expect(line('').attribute).toEqual({ type: 'error', error: 'nothing-after', name: { text: '', start: 0, end: 0 } });
  });

  it('keeps the CR of a CRLF ending on the last value, and stops at a NUL byte', () => {
    const a = new XinetdLine('\tsocket_type = stream\r\n').attribute;
    expect(a.type === 'attribute' && a.values.map((v) => v.text)).toEqual(['stream\r']);
    const b = line('\tport = 7\0 8');
    expect(b.attribute.type === 'attribute' && b.attribute.values.map((v) => v.text)).toEqual(['7']);
    expect(b.content).toBe('\tport = 7');
  });
});

describe('a line read again after an edit', () => {
  it('forgets its old class, words and attribute', () => {
    const doc = parse('service a\n{\n\tport = 7\n}\n');
    const l = doc.lines[2]!;
    expect(l.attribute.type).toBe('attribute');
    doc.service('a')!.set('port', 9);
    expect(l.attribute.type === 'attribute' && l.attribute.values.map((v) => v.text)).toEqual(['9']);
    doc.service('a')!.rename('b');
    expect(doc.lines[0]!.words.map((w) => w.text)).toEqual(['service', 'b']);
    expect(doc.toJSON().services.map((s) => s.name)).toEqual(['b']);
  });
});

describe('a file read at once (the File rule)', () => {
  const piece = fc.constantFrom(' ', '\t', '\v', '\f', '\r', '\0', '{', '}', '#', '=', '+=', '-=', 'a', 'port', 'service', 'é');
  const content = fc.array(piece, { maxLength: 10 }).map((p) => p.join(''));
  const file = fc.tuple(fc.array(content, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([ls, eol, end]) => ls.join(eol) + (end && ls.length > 0 ? eol : ''));

  it('gives every line what the line read alone gives: offsets from the line start, nothing after a NUL byte', () => {
    fc.assert(
      fc.property(file, (text) => {
        const raws = rawLines(text);
        const lines = readLines(text, raws);
        expect(lines.map((l) => l.raw)).toEqual(raws);
        for (const [i, l] of lines.entries()) {
          const alone = new XinetdLine(raws[i]!);
          expect(l.lineClass, JSON.stringify(raws[i])).toBe(alone.lineClass);
          expect(l.attribute, JSON.stringify(raws[i])).toEqual(alone.attribute);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('on a second line after a NUL byte and a CRLF ending', () => {
    const [a, b, c] = readLines('x\0 {\r\n\tport = 7\n}', rawLines('x\0 {\r\n\tport = 7\n}'));
    expect(a!.attribute).toEqual({ type: 'error', error: 'nothing-after', name: { text: 'x', start: 0, end: 1 } });
    expect(b!.attribute).toMatchObject({ type: 'attribute', name: { text: 'port', start: 1, end: 5 }, opStart: 6, values: [{ text: '7', start: 8, end: 9 }] });
    expect(c!.lineClass).toBe('close');
    expect(readLines('', [])).toEqual([]);
  });
});

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'xinetd');
const fixtureFiles = readdirSync(FIXTURES, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => join(e.parentPath, e.name))
  .filter((f) => f.includes('/etc/'))
  .sort();

describe('the fixtures', () => {
  it('every attribute the reader finds is the text at its offsets, its values the rest of the line split on space and tab', () => {
    let attributes = 0;
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(14);
    for (const file of fixtureFiles) {
      const lines = rawLines(readFileSync(file, 'utf8')).map((r) => new XinetdLine(r));
      const reading = read(lines);
      for (const e of reading.entries) {
        for (const i of e.attributes) {
          const l = lines[i]!;
          const a = l.attribute;
          expect(a.type, `${file}:${i + 1}`).toBe('attribute');
          if (a.type !== 'attribute') continue;
          attributes++;
          const c = l.content;
          expect(c.slice(a.name.start, a.name.end)).toBe(a.name.text);
          expect(c.slice(0, a.name.start).trim()).toBe('');
          expect(/^[ \t\n\v\f\r]+$/.test(c.slice(a.name.end, a.opStart)), `${file}:${i + 1}`).toBe(true);
          expect(c.slice(a.opStart, a.opEnd)).toBe(a.op);
          expect(a.values.map((v) => v.text)).toEqual(c.slice(a.opEnd).split(/[ \t]+/).filter((v) => v !== ''));
          for (const v of a.values) expect(c.slice(v.start, v.end)).toBe(v.text);
        }
      }
    }
    expect(attributes).toBeGreaterThanOrEqual(50);
  });
});
