// core/document.ts: the LineDocument base every line format builds on. Its promises, checked on a
// minimal format (one node per line) under random texts and random edit sequences:
// - applyEdits(original, doc.edits()) === doc.toString(), and applying history() in order does too;
// - edits() are sorted, non-overlapping, and never cover a node that kept its parsed text and place;
// - a diagnostic follows its node through edits and goes when its node does;
// - an edit sequence that ends where it began has no edits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnostic, type Diagnostic, type DiagnosticCode } from '../../src/core/diagnostics.js';
import { LineDocument, splitRaw, type NewlinePolicy } from '../../src/core/document.js';
import { applyEdits } from '../../src/core/lines.js';

interface Node {
  raw: string;
  id: number;
}

let ids = 0;

class Lines extends LineDocument<Node> {
  static parse(text: string, policy: NewlinePolicy = 'posix', flag?: (raw: string) => boolean): Lines {
    const nodes = splitRaw(text, policy).map((raw) => ({ raw, id: ids++ }));
    const ds: Diagnostic[] = [];
    nodes.forEach((n, i) => {
      if (flag?.(n.raw)) ds.push(diagnostic('fwconf/test' as DiagnosticCode, 'error', `line ${n.id}`, { line: i + 1, column: 1, endColumn: 2 }));
    });
    return new Lines(nodes, ds);
  }
  private constructor(nodes: Node[], ds: Diagnostic[]) {
    super({ nodes, diagnostics: ds });
  }
  toJSON(): unknown {
    return this.nodes.map((n) => n.raw);
  }
  doSplice(i: number, k: number, raws: string[]): void {
    this.splice(i, k, ...raws.map((raw) => ({ raw, id: ids++ })));
  }
  doSetRaw(i: number, raw: string): void {
    this.setRaw(this.nodes[i]!, raw);
  }
  move(from: number, to: number): void {
    const n = this.nodes[from]!;
    this.splice(from, 1);
    this.splice(Math.min(to, this.nodes.length), 0, n);
  }
}

const line = fc.stringMatching(/^[a-z#]{0,5}$/);
const text = fc
  .tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([ls, eol, final]) => ls.map((l, i) => l + (i < ls.length - 1 || final ? eol : '')).join(''));

type Op =
  | { op: 'splice'; at: number; remove: number; raws: string[] }
  | { op: 'set'; at: number; raw: string }
  | { op: 'move'; from: number; to: number };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('splice' as const), at: fc.nat(10), remove: fc.nat(3), raws: fc.array(line.map((l) => l + '\n'), { maxLength: 3 }) }),
    fc.record({ op: fc.constant('set' as const), at: fc.nat(10), raw: line.map((l) => l + '\n') }),
    fc.record({ op: fc.constant('move' as const), from: fc.nat(10), to: fc.nat(10) }),
  ),
  { maxLength: 6 },
);

function play(doc: Lines, list: Op[]): void {
  for (const o of list) {
    const n = doc.nodes.length;
    if (o.op === 'splice') doc.doSplice(Math.min(o.at, n), o.remove, o.raws);
    else if (n > 0 && o.op === 'set') doc.doSetRaw(o.at % n, o.raw);
    else if (n > 0 && o.op === 'move') doc.move(o.from % n, o.to);
  }
}

describe('splitRaw', () => {
  it('keeps every character, under both policies', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', ' ') }), fc.constantFrom<NewlinePolicy>('posix', 'universal'), (s, p) => {
        expect(splitRaw(s, p).join('')).toBe(s);
      }),
    );
  });

  it('ends lines as the daemon does: a lone \\r is text for posix, a line end for universal', () => {
    expect(splitRaw('a\rb\r\nc\n', 'posix')).toEqual(['a\rb\r\n', 'c\n']);
    expect(splitRaw('a\rb\r\nc\n', 'universal')).toEqual(['a\r', 'b\r\n', 'c\n']);
    expect(splitRaw('x\r', 'universal')).toEqual(['x\r']);
    // The same split as Python's universal newlines (io.TextIOWrapper(newline=None) readlines):
    // 'a\r\r\nb' -> ['a\r', '\r\n', 'b'] before translation.
    expect(splitRaw('a\r\r\nb', 'universal')).toEqual(['a\r', '\r\n', 'b']);
  });
});

describe('LineDocument', () => {
  it('prints the parsed text back and has no edits before one is made', () => {
    fc.assert(
      fc.property(text, (t) => {
        const doc = Lines.parse(t);
        expect(doc.toString()).toBe(t);
        expect(doc.original).toBe(t);
        expect(doc.edits()).toEqual([]);
      }),
    );
  });

  it('edits() replay the document from its parsed text, after every step of an edit sequence', () => {
    fc.assert(
      fc.property(text, ops, (t, list) => {
        const doc = Lines.parse(t);
        for (const o of list) {
          play(doc, [o]);
          expect(applyEdits(t, doc.edits())).toBe(doc.toString());
        }
      }),
    );
  });

  it('edits() are in order, do not overlap, and leave unchanged nodes outside them', () => {
    fc.assert(
      fc.property(text, ops, (t, list) => {
        const doc = Lines.parse(t);
        const before = doc.nodes.map((n) => ({ n, raw: n.raw, offset: doc.offsetOf(n) }));
        play(doc, list);
        const edits = doc.edits();
        for (let i = 1; i < edits.length; i++) expect(edits[i]!.offset).toBeGreaterThanOrEqual(edits[i - 1]!.offset + edits[i - 1]!.length);
        // A node that is still there with its text, and whose neighbours in the original kept theirs
        // too, is not inside an edit: the edits are no larger than the change.
        const kept = before.filter((b) => doc.nodes.includes(b.n) && b.n.raw === b.raw);
        const order = kept.map((b) => doc.nodes.indexOf(b.n));
        kept.forEach((b, i) => {
          const inOrder = order.slice(0, i).every((o) => o < order[i]!) && order.slice(i + 1).every((o) => o > order[i]!);
          if (!inOrder || b.raw === '') return;
          for (const e of edits) expect(b.offset >= e.offset + e.length || b.offset + b.raw.length <= e.offset).toBe(true);
        });
      }),
    );
  });

  it('keeps "no final newline" through appends and removals at the end', () => {
    const doc = Lines.parse('a\nb');
    doc.doSplice(2, 0, ['c\n']);
    expect(doc.toString()).toBe('a\nb\nc');
    expect(doc.edits()).toEqual([{ offset: 2, length: 1, content: 'b\nc' }]);
    doc.doSplice(2, 1, []);
    expect(doc.toString()).toBe('a\nb');
    expect(doc.edits()).toEqual([]);
  });

  it('diagnostics follow their node through edits and go with it', () => {
    fc.assert(
      fc.property(text, ops, (t, list) => {
        const doc = Lines.parse(t, 'posix', (raw) => raw.startsWith('#'));
        const flagged = doc.nodes.filter((n) => n.raw.startsWith('#'));
        play(doc, list);
        const expected = flagged
          .filter((n) => doc.nodes.includes(n))
          .map((n) => ({ line: doc.lineOf(n), message: `line ${n.id}` }))
          .sort((a, b) => a.line - b.line);
        const got = doc.diagnostics.map((d) => ({ line: d.line, message: d.message })).sort((a, b) => a.line - b.line);
        expect(got).toEqual(expected);
      }),
    );
  });
});
