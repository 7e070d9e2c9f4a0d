import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eolOf, eolStyle, rawLines, SourceText, splitLines, stripEol } from '../../src/core/text.js';

describe('splitLines', () => {
  it('keeps every byte: the raw lines join back to the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '\t', '\r', '\n', '\r\n', '\uFEFF', 'é', '\0') }), (s) => {
        expect(rawLines(s).join('')).toBe(s);
      }),
    );
  });

  it('treats \\r\\n as one ending and a lone \\r as text', () => {
    const t = 'a\r\nb\rc\nd';
    expect(splitLines(t).map((l) => [t.slice(l.start, l.end), l.eol])).toEqual([
      ['a', '\r\n'],
      ['b\rc', '\n'],
      ['d', ''],
    ]);
  });

  it('gives no line for empty text and one for a lone newline', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n')).toEqual([{ index: 0, start: 0, end: 0, next: 1, eol: '\n' }]);
  });
});

describe('SourceText', () => {
  it('maps offsets to 1-based line and column and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('x', '\n', '\r\n', ' ') }), fc.nat(), (s, n) => {
        const src = new SourceText(s);
        const offset = s.length === 0 ? 0 : n % (s.length + 1);
        const pos = src.positionAt(offset);
        expect(src.offsetAt(pos)).toBe(offset);
        const before = s.slice(0, offset);
        expect(pos.line).toBe(before.split('\n').length);
      }),
    );
  });

  it('detects EOL style, BOM and the final newline', () => {
    expect(new SourceText('a\nb\n').eolStyle).toBe('lf');
    expect(new SourceText('a\r\nb\r\n').eolStyle).toBe('crlf');
    expect(new SourceText('a\r\nb\n').eolStyle).toBe('mixed');
    expect(new SourceText('a').eolStyle).toBe('none');
    expect(new SourceText('a\r\nb\r\nc\n').eol).toBe('\r\n');
    expect(new SourceText('a\nb\r\nc\n').eol).toBe('\n');
    expect(new SourceText('\uFEFFPort 22\n').bom).toBe(true);
    expect(new SourceText('Port 22').finalNewline).toBe(false);
    expect(eolStyle('')).toBe('none');
  });

  it('refuses a non-string with a TypeError', () => {
    expect(() => new SourceText(42 as unknown as string)).toThrow(TypeError);
  });

  it('strips and reports line endings', () => {
    expect(eolOf('a\r\n')).toBe('\r\n');
    expect(eolOf('a\n')).toBe('\n');
    expect(eolOf('a')).toBe('');
    expect(stripEol('a\r\n')).toBe('a');
  });
});
