/**
 * The hand-written line scanner: the same tokens as grammars/iptables.peggy (which is the
 * specification; test/iptables/scan.test.ts checks that both agree), written for speed on dumps of
 * 100,000 rules. It follows xshared.c `add_param_to_argv`: separators are space and tab, only double
 * quotes quote, inside them a backslash takes the next character literally, a closing quote ends the
 * token at once, an unterminated quote runs to the end of the line.
 */

/** One argument of a command line, as iptables-restore reads it. */
export interface Token {
  /** The argument after quote removal. */
  value: string;
  /** Written with (some) double quotes. */
  quoted: boolean;
  /** False for a quote left open at the end of the line. */
  closed: boolean;
  /** Offsets in the scanned line (end exclusive). */
  start: number;
  end: number;
}

/** Splits a line's arguments (without its `\n`), from offset `from`. */
export function tokenize(line: string, from = 0): Token[] {
  const out: Token[] = [];
  const n = line.length;
  let i = from;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    // A run of plain characters.
    while (i < n && (c = line.charCodeAt(i)) !== 32 && c !== 9 && c !== 34) i++;
    if (i < n && c === 34) {
      let value = line.slice(start, i);
      i++;
      let seg = i;
      let closed = false;
      while (i < n) {
        c = line.charCodeAt(i);
        if (c === 92) {
          value += line.slice(seg, i);
          if (i + 1 < n) value += line[i + 1];
          i += 2;
          seg = i;
          continue;
        }
        if (c === 34) {
          closed = true;
          break;
        }
        i++;
      }
      if (seg < n) value += line.slice(seg, Math.min(i, n));
      if (closed) i++;
      else i = n;
      out.push({ value, quoted: true, closed, start, end: i });
    } else {
      out.push({ value: line.slice(start, i), quoted: false, closed: true, start, end: i });
    }
  }
  return out;
}

/**
 * The same tokens as `tokenize`, as two parallel arrays (values, and whether each was quoted) and
 * without offsets: the fast path for reading a dump's rules.
 */
export function scanArgs(line: string, from: number, values: string[], quoted: boolean[], end = line.length): void {
  const n = end;
  let i = from;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && (c = line.charCodeAt(i)) !== 32 && c !== 9 && c !== 34) i++;
    if (i < n && c === 34) {
      let value = line.slice(start, i);
      i++;
      let seg = i;
      while (i < n) {
        c = line.charCodeAt(i);
        if (c === 92) {
          value += line.slice(seg, i);
          if (i + 1 < n) value += line[i + 1];
          i += 2;
          seg = i;
          continue;
        }
        if (c === 34) break;
        i++;
      }
      if (seg < n) value += line.slice(seg, Math.min(i, n));
      i = i < n ? i + 1 : n;
      values.push(value);
      quoted.push(true);
    } else {
      values.push(line.slice(start, i));
      quoted.push(false);
    }
  }
}

/** A token at `start` that is plain text ending at the first separator: `Word` in the grammar. */
export function wordAt(line: string, start: number): { value: string; end: number } {
  let i = start;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) break;
    i++;
  }
  return { value: line.slice(start, i), end: i };
}

export function skipSeparators(line: string, i: number): number {
  while (i < line.length) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** `[packets:bytes]` at the start of a string: its parts and length, or undefined. */
export function scanCounters(line: string, from = 0): { packets: string; bytes: string; text: string } | undefined {
  if (line.charCodeAt(from) !== 91) return undefined;
  let i = from + 1;
  const p0 = i;
  while (i < line.length && isDigit(line.charCodeAt(i))) i++;
  if (i === p0 || line.charCodeAt(i) !== 58) return undefined;
  const packets = line.slice(p0, i);
  const b0 = ++i;
  while (i < line.length && isDigit(line.charCodeAt(i))) i++;
  if (i === b0 || line.charCodeAt(i) !== 93) return undefined;
  return { packets, bytes: line.slice(b0, i), text: line.slice(from, i + 1) };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const BARE = /^[A-Za-z0-9_-]+$/;

/**
 * How iptables-save writes a string argument (libxtables `xtables_save_string`): bare when it is
 * non-empty and only `[A-Za-z0-9_-]`, else in double quotes with `"`, `\` and `'` backslash-escaped.
 */
export function saveString(s: string): string {
  if (BARE.test(s)) return s;
  return '"' + s.replace(/["\\']/g, '\\$&') + '"';
}

/** Always in double quotes, `"` and `\` escaped (the string match's `--string`, bpf's `--bytecode`). */
export function quotedString(s: string): string {
  return '"' + s.replace(/["\\]/g, '\\$&') + '"';
}

/** An argument that iptables-restore reads back as itself: bare when possible, else quoted. */
export function restoreArg(s: string): string {
  return s !== '' && !/[ \t"\n]/.test(s) ? s : saveString(s);
}

export { shellQuote } from '../core/shell.js';
