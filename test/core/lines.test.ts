import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedColumn, applyEdits, firstDifferingLine, NodeStore, padTo } from '../../src/core/lines.js';
import { rawLines } from '../../src/core/text.js';

const store = (text: string) => new NodeStore(rawLines(text).map((raw) => ({ raw })), '\n');

describe('NodeStore', () => {
  it('prints its slices back unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(store(s).toString()).toBe(s);
      }),
    );
  });

  it('gives the previous last line an ending when appending, and keeps "no final newline"', () => {
    const s = store('a\nb');
    s.insertAt(2, { raw: 'c\n' });
    expect(s.toString()).toBe('a\nb\nc');
  });

  it('keeps the final newline when appending to a file that has one', () => {
    const s = store('a\nb\n');
    s.insertAt(2, { raw: 'c\n' });
    expect(s.toString()).toBe('a\nb\nc\n');
  });

  it('removing the last line of a file without a final newline keeps that style', () => {
    const s = store('a\nb\nc');
    s.remove(s.nodes[2]!);
    expect(s.toString()).toBe('a\nb');
  });

  it('replacing a node changes only that node', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z ]{0,8}$/), { minLength: 1, maxLength: 20 }), fc.nat(), (lines, k) => {
        const text = lines.map((l) => l + '\n').join('');
        const s = store(text);
        const i = k % lines.length;
        s.replace(s.nodes[i]!, { raw: 'X\n' });
        const out = rawLines(s.toString());
        expect(out.length).toBe(lines.length);
        out.forEach((l, j) => expect(l).toBe(j === i ? 'X\n' : lines[j] + '\n'));
      }),
    );
  });

  it('reports 1-based lines of nodes, counting multi-line nodes', () => {
    const s = new NodeStore([{ raw: 'a\n' }, { raw: 'b\nc\n' }, { raw: 'd\n' }]);
    expect(s.lineOf(s.nodes[2]!)).toBe(4);
    expect(() => s.lineOf({ raw: '' })).toThrow(RangeError);
  });

  it('removes a range of nodes', () => {
    const s = store('a\nb\nc\nd\n');
    s.removeRange(s.nodes[1]!, s.nodes[2]!);
    expect(s.toString()).toBe('a\nd\n');
  });
});

describe('text edits and helpers', () => {
  it('applies edits in any order and refuses overlaps', () => {
    expect(applyEdits('Port 22\n', [{ offset: 5, length: 2, content: '2201' }, { offset: 0, length: 0, content: '# x\n' }])).toBe('# x\nPort 2201\n');
    expect(() => applyEdits('abc', [{ offset: 0, length: 2, content: '' }, { offset: 1, length: 1, content: '' }])).toThrow(RangeError);
  });

  it('finds the first differing line', () => {
    expect(firstDifferingLine('a\nb\nc', 'a\nb\nc')).toBeUndefined();
    expect(firstDifferingLine('a\nb\nc', 'a\nB\nc')).toBe(2);
    expect(firstDifferingLine('a\nb\r\n', 'a\nb\n')).toBe(2);
    expect(firstDifferingLine('a\n', 'a\nb')).toBe(2);
  });

  it('finds an aligned column only when most lines agree', () => {
    expect(alignedColumn([12, 12, 12, 7])).toBe(12);
    expect(alignedColumn([3, 5, 7])).toBeUndefined();
    expect(alignedColumn([4])).toBeUndefined();
    expect(padTo('port', 8)).toBe('port    ');
    expect(padTo('socket_type', 8)).toBe('socket_type ');
  });
});
