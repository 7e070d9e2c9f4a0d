/**
 * Line classification: one physical line (without its ending) → an entry. The grammar
 * (grammars/thpot.peggy) is the specification; the common case — a C-locale single-line capture —
 * goes through one regular expression that a property test holds to the grammar's answers.
 */
import { parse as parseLine, SyntaxError as LineSyntaxError } from '../../grammars/thpot.peggy';

// A line the grammar refuses is described from the error's `expected` and `found` (grammarLine), never
// from its message: building peggy's message (every expected literal escaped and joined) and the stack
// trace cost ~40 µs a line, which made a log of invalid lines 40 times slower than one of captures.
(LineSyntaxError as unknown as { buildMessage: () => string }).buildMessage = () => 'not a thpot line';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { ownSlice } from '../core/text.js';
import { parseLineRule } from './line-parser.js';
import { monthInfo } from '../core/months.js';
import type { Capture, CaptureRecord, Entry, SessionEnd, SessionStart } from './model.js';

const PORT = /^(?:0|[1-9][0-9]{0,4})$/;

/** SPT text → the record's `spt` (and `sptText` when it is not a port). */
function port(text: string): { spt: number | null; sptText?: string } {
  if (text === '') return { spt: null };
  if (PORT.test(text)) {
    const n = +text;
    if (n <= 65535) return { spt: n };
  }
  return { spt: null, sptText: text };
}

export { ownSlice } from '../core/text.js';

const C_MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The C month names' characters, three per month. */
const MONTH_CHARS = new Uint16Array(36);
/** Month number by the sum of a name's three character codes (mod 64): distinct for the twelve names. */
const MONTH_BY_SUM = new Uint8Array(64);
C_MONTH_NAMES.forEach((m, i) => {
  for (let k = 0; k < 3; k++) MONTH_CHARS[i * 3 + k] = m.charCodeAt(k);
  const h = (m.charCodeAt(0) + m.charCodeAt(1) + m.charCodeAt(2)) & 63;
  if (MONTH_BY_SUM[h] !== 0) throw new Error('month hash collision');
  MONTH_BY_SUM[h] = i + 1;
});

/** The C-locale month (1..12) whose name is at `s[i..i+3)`, or 0. */
function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  const c = s.charCodeAt(i + 2);
  const m = MONTH_BY_SUM[(a + b + c) & 63]!;
  if (m === 0) return 0;
  const k = m * 3 - 3;
  return MONTH_CHARS[k] === a && MONTH_CHARS[k + 1] === b && MONTH_CHARS[k + 2] === c ? m : 0;
}

/** `Mon DD ` for every month and day: a timestamp is then one concatenation with its time. */
const DATE_PREFIX: string[] = [];
for (let m = 1; m <= 12; m++) for (let d = 1; d <= 31; d++) DATE_PREFIX[m * 32 + d] = `${C_MONTH_NAMES[m - 1]} ${d < 10 ? '0' + d : d} `;

const isDigit = (c: number) => c >= 48 && c <= 57;
/** Two digits at i, or -1. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
/** A field character: anything but space, tab, CR, LF. */
const isField = (c: number) => c !== 32 && c !== 9 && c !== 10 && c !== 13;
const isHexUpper = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70);

/** `s[i..i+5)` is ` XXX=` with the given three letters (` SID=`, ` PID=`, ` SRC=`, ` SPT=`). */
function key3(s: string, i: number, a: number, b: number, c: number): boolean {
  return s.charCodeAt(i) === 32 && s.charCodeAt(i + 1) === a && s.charCodeAt(i + 2) === b && s.charCodeAt(i + 3) === c && s.charCodeAt(i + 4) === 61;
}

/*
 * Where `scanCaptureFields` found the fields of the line it accepted (offsets into its string), and
 * the numbers it read. Module state, so that a caller that only counts (the summary) allocates
 * nothing per line; read it right after a successful call. The exported ones are live bindings,
 * read-only for importers.
 */
let fMonth = 0;
let fDay = 0;
let fSidStart = 0;
let fSidEnd = 0;
/** Offsets of the SID's service suffix (after the `.`); -1 when it has none. */
export let fSvcStart = -1;
export let fSvcEnd = -1;
let fPid = 0;
/** Offsets of SRC's value (equal when SRC is empty). */
export let fSrcStart = 0;
export let fSrcEnd = 0;
let fSptStart = 0;
let fSptEnd = 0;
/** The SPT's value when it is a port number as thpot writes one, else -1. */
let fSpt = -1;
let fElapsed = 0;
let fBytes = 0;

/**
 * Fast path: is `s.slice(start, end)` a C-locale single-line capture (the grammar's `Capture` with an
 * English month; a property test holds the two together)? Reads the line in place, allocates
 * nothing, and leaves the fields' offsets in module state (`fSrcStart`, …; `scanCaptureAt`).
 */
export function scanCaptureFields(s: string, start: number, end: number): boolean {
  if (end - start < 37) return false;
  const month = monthAt(s, start);
  if (month === 0 || s.charCodeAt(start + 3) !== 32) return false;
  const day = two(s, start + 4);
  if (day < 1 || day > 31 || s.charCodeAt(start + 6) !== 32) return false;
  const hh = two(s, start + 7);
  const mm = two(s, start + 10);
  const ss = two(s, start + 13);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return false;
  if (s.charCodeAt(start + 9) !== 58 || s.charCodeAt(start + 12) !== 58) return false;
  let i = start + 15;
  if (!key3(s, i, 83, 73, 68)) return false; // ' SID='
  i += 5;
  const sidStart = i;
  while (i < end && isHexUpper(s.charCodeAt(i))) i++;
  if (i === sidStart) return false;
  const sidEnd = i;
  let svcStart = -1;
  let svcEnd = -1;
  if (s.charCodeAt(i) === 46 && i < end) {
    const a = ++i;
    while (i < end && isField(s.charCodeAt(i))) i++;
    if (i === a) return false;
    svcStart = a;
    svcEnd = i;
  }
  if (!key3(s, i, 80, 73, 68)) return false; // ' PID='
  i += 5;
  const pidStart = i;
  let pid = 0;
  while (i < end && isDigit(s.charCodeAt(i))) pid = pid * 10 + (s.charCodeAt(i++) - 48);
  if (i === pidStart) return false;
  if (i - pidStart > 15) pid = +s.slice(pidStart, i);
  if (!key3(s, i, 83, 82, 67)) return false; // ' SRC='
  i += 5;
  const srcStart = i;
  while (i < end && isField(s.charCodeAt(i))) i++;
  const srcEnd = i;
  if (!key3(s, i, 83, 80, 84)) return false; // ' SPT='
  i += 5;
  const sptStart = i;
  let spt = 0;
  let sptDigits = true;
  while (i < end && isField(s.charCodeAt(i))) {
    const c = s.charCodeAt(i++);
    if (sptDigits && isDigit(c)) spt = spt * 10 + (c - 48);
    else sptDigits = false;
  }
  const sptEnd = i;
  let elapsed = 0;
  // ' ET='
  if (i < end && s.charCodeAt(i) === 32 && s.charCodeAt(i + 1) === 69 && s.charCodeAt(i + 2) === 84 && s.charCodeAt(i + 3) === 61) {
    const h = two(s, i + 4);
    const m = two(s, i + 7);
    const c = two(s, i + 10);
    if (h < 0 || h > 23 || m < 0 || m > 59 || c < 0 || c > 59 || s.charCodeAt(i + 6) !== 58 || s.charCodeAt(i + 9) !== 58) return false;
    elapsed = h * 3600 + m * 60 + c;
    i += 12;
  }
  let bytes = 0;
  // ' BYTES='
  if (i < end && s.charCodeAt(i) === 32 && s.charCodeAt(i + 1) === 66 && s.charCodeAt(i + 2) === 89 && s.charCodeAt(i + 3) === 84 && s.charCodeAt(i + 4) === 69 && s.charCodeAt(i + 5) === 83 && s.charCodeAt(i + 6) === 61) {
    i += 7;
    const b = i;
    while (i < end && isDigit(s.charCodeAt(i))) bytes = bytes * 10 + (s.charCodeAt(i++) - 48);
    if (i === b) return false;
    if (i - b > 15) bytes = +s.slice(b, i);
  }
  if (i !== end) return false;
  fMonth = month;
  fDay = day;
  fSidStart = sidStart;
  fSidEnd = sidEnd;
  fSvcStart = svcStart;
  fSvcEnd = svcEnd;
  fPid = pid;
  fSrcStart = srcStart;
  fSrcEnd = srcEnd;
  fSptStart = sptStart;
  fSptEnd = sptEnd;
  const leadingZero = s.charCodeAt(sptStart) === 48 && sptEnd - sptStart > 1;
  fSpt = sptEnd > sptStart && sptDigits && !leadingZero && sptEnd - sptStart <= 5 && spt <= 65535 ? spt : -1;
  fElapsed = elapsed;
  fBytes = bytes;
  return true;
}

/**
 * Fast path: the C-locale single-line capture in `s.slice(start, end)` as a record (see
 * `scanCaptureFields`). Undefined when the line is anything else. The record's strings are copies,
 * never views into `s`.
 */
export function scanCaptureAt(s: string, start: number, end: number, line: number): Capture | undefined {
  if (!scanCaptureFields(s, start, end)) return undefined;
  const time = s.slice(start + 7, start + 15);
  const rec: Capture = {
    kind: 'capture',
    line,
    month: C_MONTH_NAMES[fMonth - 1]!,
    monthNumber: fMonth,
    day: fDay,
    time,
    timestamp: DATE_PREFIX[fMonth * 32 + fDay]! + time,
    sid: ownSlice(s, fSidStart, fSidEnd),
    service: fSvcStart < 0 ? null : ownSlice(s, fSvcStart, fSvcEnd),
    pid: fPid,
    src: fSrcStart === fSrcEnd ? '' : ownSlice(s, fSrcStart, fSrcEnd),
    spt: null,
    elapsed: fElapsed,
    bytes: fBytes,
  };
  if (fSptEnd > fSptStart) {
    if (fSpt >= 0) rec.spt = fSpt;
    else rec.sptText = ownSlice(s, fSptStart, fSptEnd);
  }
  return rec;
}

/** Fast path on a whole line: see `scanCaptureAt`. */
export function scanCapture(text: string, line: number): Capture | undefined {
  return scanCaptureAt(text, 0, text.length, line);
}

/** The grammar's raw result for a line, or its syntax error. */
export type GrammarResult = { ok: true; value: any } | { ok: false; column: number; message: string };

/** A date at the start of a line: any short month text, then ` DD HH:MM:SS `. For messages only. */
const DATED = /^[^\t\n\r\x00-\x1f\x7f]{1,16}? (?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?: |$)/;

/** The grammar's literals, quoted as messages show them (a few dozen constants). */
const QUOTED = new Map<string, string>();
const quote = (x: string): string => {
  let q = QUOTED.get(x);
  if (q === undefined) {
    q = JSON.stringify(x);
    if (QUOTED.size < 256) QUOTED.set(x, q);
  }
  return q;
};

/** `DATED.test(text)` by hand: 1–16 month characters, then ` DD HH:MM:SS` and a space or the end. */
function dated(text: string): boolean {
  for (let k = 1; k <= 16; k++) {
    const m = text.charCodeAt(k - 1);
    if (!(m > 0x1f && m !== 0x7f)) return false; // also NaN: past the end
    if (text.charCodeAt(k) !== 32 || text.charCodeAt(k + 3) !== 32 || text.charCodeAt(k + 6) !== 58 || text.charCodeAt(k + 9) !== 58) continue;
    const day = two(text, k + 1);
    const hh = two(text, k + 4);
    const mm = two(text, k + 7);
    const ss = two(text, k + 10);
    if (day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) continue;
    if (k + 12 === text.length || text.charCodeAt(k + 12) === 32) return true;
  }
  return false;
}

/** The message and column of a line the grammar refuses, from what it expected where it stopped. */
function refusal(column: number, literals: readonly string[], found: string | null): GrammarResult {
  // Each literal once, in the order first expected (peggy lists a literal again for each rule that tried it).
  let what = '';
  for (let i = 0; i < literals.length; i++) {
    const x = literals[i]!;
    if (literals.indexOf(x) < i) continue;
    what += what === '' ? `expected ${quote(x)}` : ` or ${quote(x)}`;
  }
  return { ok: false, column, message: `${what || 'unexpected text'}, found ${found == null ? 'the end of the line' : quote(found)}` };
}

const NO_DATE: GrammarResult = { ok: false, column: 1, message: "no 'Mon DD HH:MM:SS' date at the start of the line" };

/** The grammar (peggy) on a line, from any start rule: the specification `lineResult` is held to. */
export function grammarLine(text: string, startRule = 'Line'): GrammarResult {
  // Every line but a blank one or an elapsed/total line (a tab first) starts with a date: without one,
  // the grammar fails, and the message is this one whatever the grammar would say.
  if (startRule === 'Line' && text !== '' && !text.startsWith('\t') && !DATED.test(text)) return NO_DATE;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return { ok: true, value: parseLine(text, { startRule }) };
  } catch (e) {
    const err = e as { location?: { start: { column: number } }; expected?: { type: string; text?: string }[]; found?: string | null };
    if (!err.location) throw e;
    const literals = (err.expected ?? []).filter((x) => x.type === 'literal').map((x) => x.text!);
    return refusal(err.location.start.column, literals, err.found ?? null);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * `grammarLine(text)` without peggy: the hand-written `Line` rule of line-parser.ts (a property test
 * holds the two equal), ~1 µs a line where a peggy parse costs ~50 µs.
 */
export function lineResult(text: string): GrammarResult {
  if (text !== '' && text.charCodeAt(0) !== 9 && !dated(text)) return NO_DATE;
  const r = parseLineRule(text);
  if (r.ok) return r;
  // peggy's column: counted from the last line feed before the offset.
  return refusal(r.offset === 0 ? 1 : r.offset - text.lastIndexOf('\n', r.offset - 1), r.expected, r.found);
}

function timestamped(v: any) {
  return { month: v.month as string, monthNumber: monthInfo(v.month).number, day: v.day as number, time: v.time as string, timestamp: v.timestamp as string };
}

/** A grammar result → the typed entry (blank lines come back as `blank`, decided by the caller). */
function fromGrammar(v: any, line: number): CaptureRecord | { kind: 'blank'; line: number } {
  switch (v.kind) {
    case 'capture': {
      const rec: Capture = {
        kind: 'capture',
        line,
        ...timestamped(v),
        sid: v.sid,
        service: v.service,
        pid: +v.pid,
        src: v.src,
        spt: null,
        elapsed: v.et ?? 0,
        bytes: v.bytes === null ? 0 : +v.bytes,
      };
      if (v.spt !== '') {
        const p = port(v.spt);
        rec.spt = p.spt;
        if (p.sptText !== undefined) rec.sptText = p.sptText;
      }
      return rec;
    }
    case 'start': {
      const source: string = v.source;
      const colon = source.lastIndexOf(':');
      const rec: SessionStart = {
        kind: 'start',
        line,
        ...timestamped(v),
        sid: v.sid,
        service: v.service,
        pid: +v.pid,
        source,
        src: colon < 0 ? source : source.slice(0, colon),
        spt: colon < 0 ? null : port(source.slice(colon + 1)).spt,
      };
      return rec;
    }
    case 'end': {
      const rec: SessionEnd = { kind: 'end', line, ...timestamped(v), sid: v.sid, service: v.service, timeout: v.timeout };
      return rec;
    }
    case 'elapsed':
      return { kind: 'elapsed', line, elapsed: v.et };
    case 'total':
      return { kind: 'total', line, bytes: +v.bytes };
    default:
      return { kind: 'blank', line };
  }
}

type Classified = CaptureRecord | { kind: 'blank'; line: number } | { kind: 'invalid'; line: number; column: number; message: string };

/** Classifies one line: the fast path, else the grammar. Blank lines are `blank` (the caller decides). */
export function classify(text: string, line: number): Classified {
  return scanCapture(text, line) ?? classifySlow(text, line);
}

/** `classify` of a line the fast path refused. */
function classifySlow(text: string, line: number): Classified {
  const g = lineResult(text);
  if (g.ok) return fromGrammar(g.value, line);
  return { kind: 'invalid', line, column: g.column, message: g.message };
}

/** Diagnostics about a record's timestamp: a month name that is not the C locale's. */
export function localeDiagnostic(rec: { month: string; line: number }, file: string | undefined): Diagnostic | undefined {
  const info = monthInfo(rec.month);
  if (info.c) return undefined;
  const where = { line: rec.line, column: 1, endColumn: rec.month.length + 1 };
  const locales = info.locales.length
    ? ` (as ${info.locales.join(', ')} write it)`
    : rec.month.includes('\uFFFD')
      ? ' (not even valid UTF-8: Perl printed the locale\'s name as Latin-1 bytes)'
      : '';
  if (info.fail2ban)
    return diagnostic(
      'thpot/locale-month',
      'warning',
      `month '${rec.month}' is not the C locale's '%b'${locales}: thpot ran under another LC_TIME; fail2ban reads this name only because it matches an English one case-insensitively, and other months of that locale it will not read. Run thpot with LC_TIME=POSIX (and no LC_ALL), e.g. 'env = LC_TIME=POSIX' in its xinetd service`,
      where,
      file,
    );
  return diagnostic(
    'thpot/locale-month',
    'error',
    `month '${rec.month.trim()}' is not the C locale's '%b'${locales}: thpot wrote this date under another LC_TIME, and fail2ban cannot read it, so it will not ban this source. Run thpot with LC_TIME=POSIX (and no LC_ALL), e.g. 'env = LC_TIME=POSIX' in its xinetd service`,
    where,
    file,
  );
}

/**
 * Turns lines into entries, line by line, with one line of look-ahead: in the multi-line layout a
 * blank line directly before a start line is a well-formed separator; any other blank line is
 * invalid. `parse` and the streaming reader share this, so both give the same entries.
 */
export class LineClassifier {
  private pendingBlank: number | undefined;
  readonly file: string | undefined;

  constructor(file?: string) {
    this.file = file;
  }

  /**
   * True when a blank line is held for look-ahead: the next line must then go through `push`/`pushAt`
   * even when `scanCaptureFields` accepts it.
   */
  get holding(): boolean {
    return this.pendingBlank !== undefined;
  }

  /** Classifies a line and passes the finished entries (zero, one or two) to `emit`. */
  push(text: string, line: number, emit: (e: Entry, diagnostics: Diagnostic[] | undefined) => void): void {
    this.pushAt(text, 0, text.length, line, emit);
  }

  /** `push` of `s.slice(start, end)`, without making the slice when the line is a C-locale capture. */
  pushAt(s: string, start: number, end: number, line: number, emit: (e: Entry, diagnostics: Diagnostic[] | undefined) => void): void {
    const fast = this.pendingBlank === undefined ? scanCaptureAt(s, start, end, line) : undefined;
    if (fast) {
      emit(fast, undefined);
      return;
    }
    const text = ownSlice(s, start, end);
    // A held blank line skipped the fast path above.
    const c = this.pendingBlank === undefined ? classifySlow(text, line) : classify(text, line);
    if (this.pendingBlank !== undefined) {
      const bl = this.pendingBlank;
      this.pendingBlank = undefined;
      if (c.kind === 'start') emit({ kind: 'separator', line: bl }, undefined);
      else this.emitBlank(bl, emit);
    }
    if (c.kind === 'blank') {
      this.pendingBlank = line;
      return;
    }
    if (c.kind === 'invalid') {
      emit({ kind: 'invalid', line, text }, [
        diagnostic('thpot/invalid-line', 'error', `not a capture line: ${c.message}`, { line, column: c.column, endColumn: text.length + 1 }, this.file),
      ]);
      return;
    }
    const d = 'month' in c ? localeDiagnostic(c, this.file) : undefined;
    emit(c, d ? [d] : undefined);
  }

  /** Flushes a blank line held for look-ahead. */
  end(emit: (e: Entry, diagnostics: Diagnostic[] | undefined) => void): void {
    if (this.pendingBlank !== undefined) {
      const bl = this.pendingBlank;
      this.pendingBlank = undefined;
      this.emitBlank(bl, emit);
    }
  }

  private emitBlank(line: number, emit: (e: Entry, diagnostics: Diagnostic[] | undefined) => void): void {
    emit({ kind: 'invalid', line, text: '' }, [
      diagnostic('thpot/blank-line', 'warning', 'blank line: thpot writes none, except before a start line of the multi-line layout', { line, column: 1 }, this.file),
    ]);
  }
}
