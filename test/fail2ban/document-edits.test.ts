// An edit re-reads only the lines it may change the reading of: after any sequence of edits, the
// document must be the document a fresh parse of its text gives — every observable of it — and its
// edits must replay. Each step also applies the same edit to a fresh parse of the text before it: both
// must write the same text (the style an edit picks comes from the same reading).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/lines.js';
import { parse, type Fail2banDocument } from '../../src/fail2ban/document.js';
import { parseIni } from '../../src/fail2ban/parse.js';

const FILE = 'jail.local';
const NAMES = ['DEFAULT', 'a', 'b', 'sshd', 'A'];
const KEYS = ['x', 'port', 'failregex', 'X', 'k'];

type Op =
  | { op: 'set' | 'add'; s: string; k: string; v: string }
  | { op: 'remove'; s: string; k: string }
  | { op: 'appendLine'; s: string; k: string; v: string }
  | { op: 'removeLine'; s: string; k: string; i: number }
  | { op: 'addSection' | 'removeSection'; s: string };

function apply(doc: Fail2banDocument, o: Op): unknown {
  switch (o.op) {
    case 'set':
      return doc.set(o.s, o.k, o.v) && undefined;
    case 'add':
      return doc.add(o.s, o.k, o.v) && undefined;
    case 'remove':
      return doc.remove(o.s, o.k);
    case 'appendLine':
      return doc.appendLine(o.s, o.k, o.v) && undefined;
    case 'removeLine':
      return doc.removeLine(o.s, o.k, o.i);
    case 'addSection':
      return doc.addSection(o.s) && undefined;
    case 'removeSection':
      return doc.removeSection(o.s);
  }
}

/** The op's result, or the error it threw (as text). */
function attempt(doc: Fail2banDocument, o: Op): unknown {
  try {
    return apply(doc, o);
  } catch (e) {
    return `threw ${String(e)}`;
  }
}

/** Every observable of `doc` against a fresh parse of its text. */
function expectFresh(doc: Fail2banDocument, original: string): void {
  const text = doc.toString();
  const fresh = parse(text, { file: FILE });
  // The reading itself comes from parseIni (which the document does not use for the file-wide findings).
  const read = parseIni(text, { file: FILE });
  expect(applyEdits(original, doc.edits())).toBe(text);
  expect(doc.diagnostics).toEqual(read.diagnostics);
  expect(doc.fatal).toBe(read.fatal);
  expect(doc.sections()).toEqual(fresh.sections());
  for (const s of new Set([...NAMES, ...fresh.sections()])) {
    expect(doc.hasSection(s)).toBe(fresh.hasSection(s));
    expect(doc.keys(s)).toEqual(fresh.keys(s));
    for (const k of new Set([...KEYS, ...fresh.keys(s)])) {
      expect(doc.get(s, k)).toBe(fresh.get(s, k));
      expect(doc.lineOf(s, k)).toBe(fresh.lineOf(s, k));
    }
  }
  expect(doc.lines).toEqual(read.lines);
  expect(doc.lines.map((l) => l.raw).join('')).toBe(text);
  expect(doc.nodes.length).toBe(read.lines.length);
  expect(doc.sectionList).toEqual(read.sections);
  expect(doc.toJSON()).toEqual(fresh.toJSON());
  expect(doc.content()).toEqual(fresh.content());
}

const eol = fc.constantFrom('\n', '\r\n', '\r');
const valueChar = fc.constantFrom('a', 'b', '1', ' ', '\t', '=', ':', ';', '#', '[', ']', '%', '(', ')', 's', '\n', '\r');
const value = fc.array(valueChar, { maxLength: 10 }).map((a) => a.join(''));
const name = fc.constantFrom(...NAMES);
const key = fc.constantFrom(...KEYS);
const line = fc.oneof(
  name.map((n) => `[${n}]`),
  fc.tuple(fc.constantFrom(' ', '\t', '  '), name).map(([i, n]) => `${i}[${n}]`),
  fc.tuple(key, fc.constantFrom('=', ' = ', ': ', ' =', '   = '), value.map((v) => v.replace(/[\r\n]/g, ''))).map(([k, s, v]) => k + s + v),
  fc.tuple(fc.constantFrom(' ', '\t', '    '), fc.stringMatching(/^[a-z^<>=[\] ]{1,8}$/)).map(([i, v]) => i + v),
  fc.constantFrom('', '   ', '# comment', '; comment', 'junk line', '=novalue', '\uFEFF[a]', '[a] ; c', 'k = v ; c'),
);
const text = fc
  .tuple(fc.array(fc.tuple(line, eol), { maxLength: 16 }), fc.boolean())
  .map(([ls, finalEol]) => {
    const t = ls.map(([l, e]) => l + e).join('');
    return finalEol || ls.length === 0 ? t : t.slice(0, t.length - ls[ls.length - 1]![1].length);
  });
const sectionName = fc.constantFrom(...NAMES, 'c', 'new', 'x]', '');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('set' as const, 'add' as const), s: sectionName, k: key, v: value }),
  fc.record({ op: fc.constant('remove' as const), s: name, k: key }),
  fc.record({ op: fc.constant('appendLine' as const), s: sectionName, k: key, v: value }),
  fc.record({ op: fc.constant('removeLine' as const), s: name, k: key, i: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ op: fc.constantFrom('addSection' as const, 'removeSection' as const), s: sectionName }),
);

/** Runs the ops on a document of `original`, comparing with fresh parses as it goes (`checks[i]`: all observables after op i). */
function run(original: string, ops: readonly Op[], checks: readonly boolean[] = []): void {
  const doc = parse(original, { file: FILE });
  ops.forEach((o, i) => {
    const before = doc.toString();
    const ref = parse(before, { file: FILE });
    const got = attempt(doc, o);
    expect(got).toEqual(attempt(ref, o));
    // New lines get the parsed file's line ending, kept through edits: a fresh parse of edited text may
    // pick the other one (its dominant ending changed), and then writes other endings.
    if (doc.eol === ref.eol) expect(doc.toString()).toBe(ref.toString());
    // The diagnostics at every step (reading them does not bring the sections' numbers up to date).
    expect(doc.diagnostics).toEqual(parseIni(doc.toString(), { file: FILE }).diagnostics);
    if (checks[i]) expectFresh(doc, original);
  });
  expectFresh(doc, original);
}

describe('fail2ban edits read again only what they change', () => {
  it('random edit sequences leave the document a fresh parse of its text would give', () => {
    fc.assert(
      fc.property(text, fc.array(fc.tuple(op, fc.boolean()), { maxLength: 12 }), (original, steps) =>
        run(
          original,
          steps.map(([o]) => o),
          steps.map(([, c]) => c),
        ),
      ),
      { numRuns: 250 },
    );
  });

  it('the cases that cross sections', () => {
    // A value that starts a header at column 0 (after a lone \r), one that is a continuation of the key before.
    run('[a]\nx = 1\n[b]\ny = 2\n', [{ op: 'set', s: 'a', k: 'x', v: '1\r[b]\rx=3' }]);
    run('[a]\nx = 1\n  [b]\ny = 2\n', [{ op: 'add', s: 'a', k: 'k', v: 'v' }]);
    // Lines before the first header; the DEFAULT section twice; duplicates that come and go.
    run('junk\n[DEFAULT]\nx=1\n[a]\nx=1\n[DEFAULT]\nx=2\n[a]\nk=1\n', [
      { op: 'remove', s: 'DEFAULT', k: 'x' },
      { op: 'removeSection', s: 'a' },
      { op: 'addSection', s: 'a' },
      { op: 'add', s: 'a', k: 'x', v: '1' },
    ]);
    // \r endings: a removed line lets a lone \r meet the \n of a blank line.
    run('[a]\rx = 1\rk = 2\n\n[b]\ry=1', [{ op: 'remove', s: 'a', k: 'k' }, { op: 'set', s: 'b', k: 'y', v: 'z\n\nw' }]);
    // Failing seeds of the property above (582358505: blank value lines added at the end of a file without
    // a final newline left an empty last line; 1539082754: the removed last section took the ending away).
    run('[DEFAULT]', [{ op: 'set', s: 'DEFAULT', k: 'x', v: '\n\n' }]);
    run(' [\r\n[b]', [{ op: 'removeSection', s: 'b' }, { op: 'set', s: 'DEFAULT', k: 'x', v: '' }]);
    // Seed 433423000: a line added after a lone \r ending must not get a second ending (an extra blank line).
    const cr = parse('[DEFAULT]\r[a]\r\n[b]\r\n');
    cr.add('DEFAULT', 'x', 'a');
    expect(cr.toString()).toBe('[DEFAULT]\rx = a\r\n[a]\r\n[b]\r\n');
    run('[DEFAULT]\r[a]\r\n[b]\r', [{ op: 'add', s: 'b', k: 'x', v: 'a' }, { op: 'appendLine', s: 'DEFAULT', k: 'x', v: 'a' }]);
    // Seeds 847195019 and 1282970949: a value `\ra\n` read again splits its lines elsewhere (as many
    // lines, other text in each): the lines must take their new text, not only their new reading.
    run('\ufeff[a]', [{ op: 'set', s: 'DEFAULT', k: 'x', v: '\ra\n' }]);
    run('[DEFAULT]', [{ op: 'set', s: 'DEFAULT', k: 'x', v: '\ra\n' }]);
  });

  it('long edit sequences on a larger file (the sections after an edit move lazily)', () => {
    const section = fc.tuple(name, fc.array(fc.tuple(line.filter((l) => !/^\s*\[/.test(l)), eol), { maxLength: 6 }), eol).map(([n, ls, e]) => `[${n}]${e}` + ls.map(([l, le]) => l + le).join(''));
    fc.assert(
      fc.property(fc.array(section, { minLength: 10, maxLength: 40 }), fc.array(fc.tuple(op, fc.integer({ min: 0, max: 19 })), { minLength: 50, maxLength: 300 }), (sections, steps) => {
        const original = sections.join('');
        const doc = parse(original, { file: FILE });
        for (const [o, c] of steps) {
          attempt(doc, o);
          // Now and then every observable; most edits run on the document as it is.
          if (c === 0) expectFresh(doc, original);
          else expect(doc.diagnostics).toEqual(parseIni(doc.toString(), { file: FILE }).diagnostics);
        }
        expectFresh(doc, original);
      }),
      { numRuns: 20 },
    );
  });
});

describe('a refused value changes nothing', () => {
  it('add to a section that does not exist yet: no section is made for a value fail2ban would misread', () => {
    const text = '[sshd]\nenabled = true\n';
    const doc = parse(text);
    expect(() => doc.add('thp-ssh', 'failregex', 'SRC=<HOST> ')).toThrow(RangeError);
    expect(doc.toString()).toBe(text);
    expect(doc.edits()).toEqual([]);
    doc.add('thp-ssh', 'failregex', 'SRC=<HOST>');
    expect(doc.toString()).toBe('[sshd]\nenabled = true\n\n[thp-ssh]\nfailregex = SRC=<HOST>\n');
  });
});
