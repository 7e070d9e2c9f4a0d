/**
 * How fail2ban's client decodes a configuration file: Python's ConfigParser.read opens it with
 * `encoding='utf-8'` (strict, a byte-order mark kept as U+FEFF), so a file that is not UTF-8 raises
 * UnicodeDecodeError, which SafeConfigParserWithIncludes.__getIncludesUncached catches: it logs
 * "Error decoding config file" and drops the file whole, with its includes (configparserinc.py).
 *
 * Python decodes the file 8192 bytes at a time (TextIOWrapper's chunk) while configparser reads it
 * line by line, so the lines that end before the chunk where decoding fails have been parsed by then:
 * an error configparser raises at once on one of them (DuplicateSectionError, DuplicateOptionError,
 * MissingSectionHeaderError) comes first, and stops fail2ban-client.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { FileSource } from '../core/files.js';
import { decodeUtf8, encodeText, utf8Lead, type Utf8Error } from '../core/text.js';
import { parseIni } from './parse.js';

/** io.TextIOWrapper's _CHUNK_SIZE. */
export const PY_TEXT_CHUNK = 8192;

/** The errors configparser raises at the line (the others it collects and raises at the end of the file). */
const IMMEDIATE = new Set(['fail2ban/duplicate-section', 'fail2ban/duplicate-option', 'fail2ban/missing-section-header']);

/** What reading a file as fail2ban does gives. */
export type ConfigText =
  | { readonly text: string }
  /** Not UTF-8: fail2ban drops the file (`dropped`), or an earlier line stops it first (`fatal`). */
  | { readonly dropped: Diagnostic }
  | { readonly fatal: Diagnostic[] };

/** A lone surrogate U+DC80..U+DCFF: a byte that was not UTF-8, as decodeBytes escapes it. */
const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;

/** The file as fail2ban reads it, or undefined when it cannot be read at all (Python skips an OSError silently). */
export function readConfigText(files: FileSource, path: string): ConfigText | undefined {
  let bytes: Uint8Array | undefined;
  if (files.readBytes) bytes = files.readBytes(path);
  else {
    const text = files.read(path);
    if (text === undefined) return undefined;
    if (!ESCAPED.test(text)) return { text };
    bytes = encodeText(text);
  }
  if (bytes === undefined) return undefined;
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return { text: decoded.text };
  const err = decoded.error;
  // The lines configparser saw: those ending before the chunk whose decoding fails (all of them before
  // the bad sequence when it is only cut short by the end of the file).
  const at = detectedAt(bytes, err.offset);
  const limit = at === bytes.length ? err.offset : Math.floor(at / PY_TEXT_CHUNK) * PY_TEXT_CHUNK;
  const end = lastLineEnd(bytes, limit);
  if (end >= 0) {
    const prefix = decodeUtf8(bytes.subarray(0, end + 1));
    if ('text' in prefix) {
      const first = parseIni(prefix.text, { file: path }).diagnostics.find((d) => IMMEDIATE.has(d.code));
      if (first) return { fatal: [first] };
    }
  }
  return { dropped: droppedDiagnostic(path, err) };
}

/**
 * The offset of the last line ending (`\n` or `\r`, as universal newlines end lines) before `limit`
 * that Python has delivered, or -1: a `\r` just before `limit` waits for the next chunk (it may start
 * `\r\n`), so the line it ends has not been read.
 */
function lastLineEnd(bytes: Uint8Array, limit: number): number {
  let i = limit - 1;
  if (i >= 0 && bytes[i] === 0x0d) i--;
  for (; i >= 0; i--) if (bytes[i] === 0x0a || bytes[i] === 0x0d) return i;
  return -1;
}

function droppedDiagnostic(path: string, err: Utf8Error): Diagnostic {
  return diagnostic(
    'fail2ban/invalid-utf8',
    'error',
    `not UTF-8: ${err.message}; fail2ban-client reads its files as UTF-8 and ignores this one whole ("Error decoding config file"): none of its sections, jails or includes are read`,
    { line: err.line, column: err.column },
    path,
  );
}

/**
 * The offset where CPython's incremental UTF-8 decoder finds the sequence at `offset` wrong: its first
 * bad byte, or the end of the input. One exception to "first bad byte": after 0xED it takes any
 * continuation byte and rejects the surrogate (0xA0..0xBF) only with the third byte.
 */
function detectedAt(bytes: Uint8Array, offset: number): number {
  const b = bytes[offset]!;
  const lead = utf8Lead(b);
  if (!lead) return offset;
  const { need, lo, hi } = lead;
  for (let k = 1; k <= need; k++) {
    const c = bytes[offset + k];
    if (c === undefined) return bytes.length;
    if (k === 1 && b === 0xed && c >= 0xa0 && c <= 0xbf) return offset + 2 < bytes.length ? offset + 2 : bytes.length;
    if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return offset + k;
  }
  return offset;
}
