/**
 * Line classification: one physical line (without its ending) → an entry. The grammar
 * (grammars/thpot.peggy) is the specification; the common case — a C-locale single-line capture —
 * goes through one regular expression that a property test holds to the grammar's answers.
 */
import { parse as parseLine } from '../../grammars/thpot.peggy';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { monthInfo } from './months.js';
import type { Capture, CaptureRecord, Entry, SessionEnd, SessionStart } from './model.js';

/** A C-locale single-line capture, in one expression (the grammar's `Capture` with an English month). */
const CAPTURE =
  /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (0[1-9]|[12][0-9]|3[01]) ((?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)) SID=([0-9A-F]+)(?:\.([^ \t\n\r]+))? PID=([0-9]+) SRC=([^ \t\n\r]*) SPT=([^ \t\n\r]*)(?: ET=([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]))?(?: BYTES=([0-9]+))?$/;

const MONTH_NUMBER: Record<string, number> = { Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12 };

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

/** Fast path: the C-locale single-line capture. Undefined when the line is anything else. */
export function scanCapture(text: string, line: number): Capture | undefined {
  const m = CAPTURE.exec(text);
  if (!m) return undefined;
  const month = m[1]!;
  const spt = m[8]!;
  const rec: Capture = {
    kind: 'capture',
    line,
    month,
    monthNumber: MONTH_NUMBER[month]!,
    day: +m[2]!,
    time: m[3]!,
    timestamp: text.slice(0, 15),
    sid: m[4]!,
    service: m[5] ?? null,
    pid: +m[6]!,
    src: m[7]!,
    spt: null,
    elapsed: m[9] === undefined ? 0 : +m[9] * 3600 + +m[10]! * 60 + +m[11]!,
    bytes: m[12] === undefined ? 0 : +m[12],
  };
  if (spt !== '') {
    const p = port(spt);
    rec.spt = p.spt;
    if (p.sptText !== undefined) rec.sptText = p.sptText;
  }
  return rec;
}

/** The grammar's raw result for a line, or its syntax error. */
export type GrammarResult = { ok: true; value: any } | { ok: false; column: number; message: string };

/** A date at the start of a line: any short month text, then ` DD HH:MM:SS `. For messages only. */
const DATED = /^[^\t\n\r\x00-\x1f\x7f]{1,16}? (?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?: |$)/;

export function grammarLine(text: string, startRule = 'Line'): GrammarResult {
  try {
    return { ok: true, value: parseLine(text, { startRule }) };
  } catch (e) {
    const err = e as { location?: { start: { column: number } }; expected?: { type: string; text?: string }[]; found?: string | null };
    if (!err.location) throw e;
    if (startRule === 'Line' && !text.startsWith('\t') && !DATED.test(text))
      return { ok: false, column: 1, message: "no 'Mon DD HH:MM:SS' date at the start of the line" };
    const literals = [...new Set((err.expected ?? []).filter((x) => x.type === 'literal').map((x) => JSON.stringify(x.text)))];
    const found = err.found == null ? 'the end of the line' : JSON.stringify(err.found);
    const what = literals.length ? `expected ${literals.join(' or ')}` : 'unexpected text';
    return { ok: false, column: err.location.start.column, message: `${what}, found ${found}` };
  }
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

/** Classifies one line: the fast path, else the grammar. Blank lines are `blank` (the caller decides). */
export function classify(text: string, line: number): CaptureRecord | { kind: 'blank'; line: number } | { kind: 'invalid'; line: number; column: number; message: string } {
  const fast = scanCapture(text, line);
  if (fast) return fast;
  const g = grammarLine(text);
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

  /** Classifies a line and passes the finished entries (zero, one or two) to `emit`. */
  push(text: string, line: number, emit: (e: Entry, diagnostics: Diagnostic[] | undefined) => void): void {
    const fast = this.pendingBlank === undefined ? scanCapture(text, line) : undefined;
    if (fast) {
      emit(fast, undefined);
      return;
    }
    const c = classify(text, line);
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
