import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, eolOf, eolStyle, findInvalidUtf8, rawLines, SourceText, splitLines, stripEol } from '../../src/core/text.js';

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

describe('findInvalidUtf8 and decodeUtf8', () => {
  const bytesArb = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5)),
    { maxLength: 40 },
  );
  const utf8Arb = fc.string({ unit: 'grapheme' }).map((s) => Array.from(Buffer.from(s, 'utf8')));

  it("finds exactly where the platform's decoder first replaces a sequence", () => {
    fc.assert(
      fc.property(fc.oneof(bytesArb, utf8Arb, fc.tuple(utf8Arb, bytesArb).map(([a, b]) => [...a, ...b])), (arr) => {
        const bytes = Uint8Array.from(arr);
        const err = findInvalidUtf8(bytes);
        const fatal = (b: Uint8Array) => {
          try {
            return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);
          } catch {
            return undefined;
          }
        };
        const loose = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        if (err === undefined) {
          expect(fatal(bytes)).toBe(loose);
          expect(decodeUtf8(bytes)).toEqual({ text: loose });
          return;
        }
        expect(fatal(bytes)).toBeUndefined();
        const prefix = fatal(bytes.subarray(0, err.offset));
        expect(prefix).toBeDefined();
        expect(loose.startsWith(prefix! + '\uFFFD')).toBe(true);
        const lines = prefix!.split('\n');
        expect({ line: err.line, column: err.column }).toEqual({ line: lines.length, column: lines.at(-1)!.length + 1 });
        expect(decodeUtf8(bytes)).toEqual({ error: err });
      }),
    );
  });

  it('keeps a byte-order mark and names the bad byte', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ text: '\uFEFFA' });
    expect(findInvalidUtf8(Buffer.from('# caf\xe9\nPort 22\n', 'latin1'))).toEqual({
      offset: 5,
      line: 1,
      column: 6,
      message: 'byte 0xE9 starts a 3-byte UTF-8 character, but 0x0A follows',
    });
    expect(findInvalidUtf8(Uint8Array.from([0x41, 0x0a, 0xff]))?.message).toBe('byte 0xFF does not start a UTF-8 character');
    expect(findInvalidUtf8(Uint8Array.from([0x0a, 0xf0, 0x9f]))).toMatchObject({ line: 2, column: 1, message: 'byte 0xF0 starts a 4-byte UTF-8 character, but the input ends' });
  });
});
