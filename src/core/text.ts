/**
 * Source text with a line index. Lines end at `\n`; a `\r` directly before it belongs to the line
 * ending (`\r\n`), a lone `\r` is ordinary text — which is how every daemon fwconf covers reads them.
 */

/** How a file ends its lines. `none`: a single line without an ending. */
export type EolStyle = 'lf' | 'crlf' | 'mixed' | 'none';

/** One physical line: `text.slice(start, end)` is its content, `text.slice(end, next)` its ending. */
export interface LineSlice {
  /** 0-based line index. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly next: number;
  readonly eol: '' | '\n' | '\r\n';
}

/** A 1-based position. Columns count UTF-16 code units, as editors and `location()` do. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The byte-order mark, U+FEFF, as it starts a file's text. */
export const BOM = '\uFEFF';

/** Splits text into physical lines, each keeping its own ending. Never loses a byte. */
export function splitLines(text: string): LineSlice[] {
  const lines: LineSlice[] = [];
  let start = 0;
  const n = text.length;
  while (start < n) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ index: lines.length, start, end: n, next: n, eol: '' });
      break;
    }
    const cr = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push({ index: lines.length, start, end: cr ? nl - 1 : nl, next: nl + 1, eol: cr ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return lines;
}

/** Splits text into the raw strings of its lines, endings included: `lines.join('') === text`. */
export function rawLines(text: string): string[] {
  return splitLines(text).map((l) => text.slice(l.start, l.next));
}

/** A file's text with its lines indexed on first use: line text and offsets to line:column positions. */
export class SourceText {
  readonly text: string;
  readonly file: string | undefined;
  private _lines: LineSlice[] | undefined;

  constructor(text: string, file?: string) {
    if (typeof text !== 'string') throw new TypeError(`expected the file's text as a string, got ${typeof text}`);
    this.text = text;
    this.file = file;
  }

  get lines(): readonly LineSlice[] {
    return (this._lines ??= splitLines(this.text));
  }

  /** The text starts with a byte-order mark. */
  get bom(): boolean {
    return this.text.startsWith(BOM);
  }

  /** The last line has a line ending (an empty file counts as ending with one). */
  get finalNewline(): boolean {
    return this.text.length === 0 || this.text.endsWith('\n');
  }

  get eolStyle(): EolStyle {
    return eolStyle(this.text);
  }

  /** The line ending new lines should use: the file's majority, LF when it has none. */
  get eol(): '\n' | '\r\n' {
    return dominantEol(this.text);
  }

  /** 1-based line and column of an offset (clamped into the text). */
  positionAt(offset: number): Position {
    const lines = this.lines;
    if (lines.length === 0) return { line: 1, column: 1 };
    const o = Math.max(0, Math.min(offset, this.text.length));
    const last = lines[lines.length - 1]!;
    // Past the final line ending: the (empty) line after it.
    if (o >= last.next && last.eol !== '') return { line: lines.length + 1, column: 1 };
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]!.start <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - lines[lo]!.start + 1 };
  }

  /** Offset of a 1-based line and column. */
  offsetAt(pos: Position): number {
    const line = this.lines[pos.line - 1];
    if (!line) return this.text.length;
    return Math.min(line.start + pos.column - 1, line.next);
  }

  /** Content of a 1-based line, without its ending. */
  lineText(line: number): string {
    const l = this.lines[line - 1];
    return l ? this.text.slice(l.start, l.end) : '';
  }
}

/** How the text ends its lines: `lf`, `crlf`, `mixed`, or `none` (a single line). */
export function eolStyle(text: string): EolStyle {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  if (lf === 0 && crlf === 0) return 'none';
  if (lf && crlf) return 'mixed';
  return crlf ? 'crlf' : 'lf';
}

/** The line ending most lines of the text use (`\n` on a tie or with none), for the lines an edit adds. */
export function dominantEol(text: string): '\n' | '\r\n' {
  let lf = 0;
  let crlf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** The line ending at the end of a raw line ('' when it has none). */
export function eolOf(raw: string): '' | '\n' | '\r\n' {
  if (!raw.endsWith('\n')) return '';
  return raw.endsWith('\r\n') ? '\r\n' : '\n';
}

/** A raw line without its ending. */
export function stripEol(raw: string): string {
  return raw.slice(0, raw.length - eolOf(raw).length);
}

/** Where a byte string stops being UTF-8: the offset of the first bad sequence, its 1-based position, why. */
export interface Utf8Error {
  /** Byte offset of the sequence that is not UTF-8. */
  readonly offset: number;
  /** 1-based line (lines end at `\n`) and column (UTF-16 code units of the line's text before it, plus 1). */
  readonly line: number;
  readonly column: number;
  /** E.g. `byte 0xE9 does not start a UTF-8 character`. */
  readonly message: string;
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * What a UTF-8 lead byte asks of the bytes after it: how many continuation bytes, and the range
 * allowed for the first of them (no overlong forms, no surrogates, nothing above U+10FFFF).
 * Undefined for a byte that starts no character.
 */
export function utf8Lead(b: number): { need: number; lo: number; hi: number } | undefined {
  if (b >= 0xc2 && b <= 0xdf) return { need: 1, lo: 0x80, hi: 0xbf };
  if (b >= 0xe0 && b <= 0xef) return { need: 2, lo: b === 0xe0 ? 0xa0 : 0x80, hi: b === 0xed ? 0x9f : 0xbf };
  if (b >= 0xf0 && b <= 0xf4) return { need: 3, lo: b === 0xf0 ? 0x90 : 0x80, hi: b === 0xf4 ? 0x8f : 0xbf };
  return undefined;
}

/** The first sequence of `bytes` that is not UTF-8 (the WHATWG decoder's rules), or undefined. */
export function findInvalidUtf8(bytes: Uint8Array): Utf8Error | undefined {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const lead = utf8Lead(b);
    if (!lead) return utf8ErrorAt(bytes, i, `byte ${hex(b)} does not start a UTF-8 character`);
    const { need, lo, hi } = lead;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const ok = c !== undefined && (k === 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xbf);
      if (!ok) {
        const what = `byte ${hex(b)} starts a ${need + 1}-byte UTF-8 character`;
        return utf8ErrorAt(bytes, i, c === undefined ? `${what}, but the input ends` : `${what}, but ${hex(c)} follows`);
      }
    }
    i += need + 1;
  }
  return undefined;
}

function utf8ErrorAt(bytes: Uint8Array, offset: number, message: string): Utf8Error {
  const start = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
  let line = 1;
  for (let j = bytes.indexOf(0x0a); j >= 0 && j < start; j = bytes.indexOf(0x0a, j + 1)) line++;
  const column = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, offset)).length + 1;
  return { offset, line, column, message };
}

/**
 * Decodes UTF-8 without replacing anything: the text (a byte-order mark kept as U+FEFF, so the text
 * encodes back to the same bytes), or where and why the bytes are not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { error: Utf8Error } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { error: findInvalidUtf8(bytes)! };
  }
}

// ---------------------------------------------------------------------------------------------
// Bytes <-> text without loss, for files that are edited and written back.

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();
/** A lone surrogate in U+DC80..U+DCFF (not the second half of a pair): an escaped byte. */
const ESCAPED_BYTE = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

/**
 * A file's bytes as text, without loss: UTF-8 (a byte-order mark is kept as U+FEFF), and every byte
 * that is not part of a well-formed UTF-8 sequence — a Latin-1 `é`, a stray continuation byte, an
 * encoded surrogate — becomes the lone surrogate U+DC80 + (byte − 0x80), Python's "surrogateescape".
 * Well-formed UTF-8 never decodes to a lone surrogate, so `encodeText(decodeBytes(b))` gives `b` back
 * byte for byte: text edited in between keeps every byte the edit did not touch.
 */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeEscaped(bytes);
  }
}

/** The bytes of text from `decodeBytes` (UTF-8, escaped bytes written back as themselves). */
export function encodeText(text: string): Uint8Array {
  if (firstEscapedByte(text) < 0) return utf8.encode(text);
  const out = new Uint8Array(text.length * 3);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) out[o++] = c;
    else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00);
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else if (c >= 0xdc80 && c <= 0xdcff) out[o++] = c - 0xdc00; // an escaped byte
    else {
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // any other lone surrogate, as TextEncoder writes it
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, o);
}

/** Whether text holds bytes `decodeBytes` escaped (the file was not well-formed UTF-8). */
export function hasEscapedBytes(text: string): boolean {
  return firstEscapedByte(text) >= 0;
}

/** Offset of the first byte `decodeBytes` escaped, or -1 (the file was well-formed UTF-8). */
export function firstEscapedByte(text: string): number {
  ESCAPED_BYTE.lastIndex = 0;
  return ESCAPED_BYTE.exec(text)?.index ?? -1;
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or 0. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const c = b[i]!;
  const n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > b.length) return 0;
  const second = b[i + 1]!;
  const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
  const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return 0;
  return n;
}

function decodeEscaped(b: Uint8Array): string {
  // UTF-16LE code units, at most one per byte; Buffer's utf16le decoding keeps lone surrogates.
  const units = Buffer.alloc(b.length * 2);
  let u = 0;
  const unit = (x: number) => {
    units[u++] = x & 0xff;
    units[u++] = x >> 8;
  };
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : utf8SequenceAt(b, i);
    if (n === 1) unit(c);
    else if (n === 0) unit(0xdc00 + c);
    else {
      let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
      for (let k = 1; k < n; k++) cp = (cp << 6) | (b[i + k]! & 63);
      if (cp >= 0x10000) {
        unit(0xd800 + ((cp - 0x10000) >> 10));
        unit(0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else unit(cp);
    }
    i += n === 0 ? 1 : n;
  }
  return units.toString('utf16le', 0, u);
}

/** Text from `decodeBytes` for display: each escaped byte shown as `\xE9`. */
export function showEscapedBytes(text: string): string {
  if (!hasEscapedBytes(text)) return text;
  return text.replace(ESCAPED_BYTE, (c) => `\\x${(c.charCodeAt(0) - 0xdc00).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * A copy of `s.slice(start, end)` that does not keep `s` alive. V8 makes a substring of 13 or more
 * characters a view into its parent; a record from a stream would then pin the whole chunk it came
 * from. Pieces under 13 characters are copies.
 */
export function ownSlice(s: string, start: number, end: number): string {
  if (end - start < 13) return s.slice(start, end);
  let out = '';
  for (let i = start; i < end; i += 12) out += s.slice(i, i + 12 < end ? i + 12 : end);
  return out;
}
