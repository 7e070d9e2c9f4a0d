/**
 * Lines → entries, one line at a time: what `parse()` and the stream share. A header line starts a
 * record; the lines after it without a header continue it (a traceback); a line without a header
 * before any record is an `unknown` line.
 */
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { classify, parseHeader } from './line.js';
import type { Entry, LogRecord } from './model.js';

/** Levels whose messages fail2ban writes on one line: a continuation under them is suspect. */
const ONE_LINE_LEVELS = new Set(['INFO', 'NOTICE', 'MSG']);

export type EntrySink = (entry: Entry, diagnostics: Diagnostic[] | undefined) => void;

/** Groups lines into records as they come (a header line, then its continuation lines), for the parser and the streams alike. */
export class RecordReader {
  private open: LogRecord | null = null;
  private openDiagnostics: Diagnostic[] | undefined;
  private inTraceback = false;

  /**
   * @param maxContinuation continuation lines kept per record; past it they are counted in `endLine`
   *   only, and the record is marked `truncated` (the stream bounds its memory so).
   */
  constructor(
    private readonly file?: string,
    private readonly maxContinuation = Infinity,
  ) {}

  /** Reads one line (without its ending); emits the entries it finishes. */
  push(text: string, line: number, emit: EntrySink): void {
    const h = parseHeader(text);
    if (h) {
      this.flush(emit);
      this.open = { kind: 'record', line, endLine: line, timestamp: h.timestamp, logger: h.logger, pid: h.pid, level: h.level, message: h.message, continuation: [], event: classify(h.level, h.message) };
      this.inTraceback = false;
      return;
    }
    const r = this.open;
    if (!r) {
      emit({ kind: 'unknown', line, text }, [
        diagnostic('fail2ban-log/unknown-line', 'warning', 'not a fail2ban log line (no "YYYY-MM-DD HH:MM:SS,mmm logger[pid]: LEVEL" header) and no record above it to continue', { line, column: 1, endColumn: text.length + 1 }, this.file),
      ]);
      return;
    }
    if (text.startsWith('Traceback (most recent call last):')) this.inTraceback = true;
    const expected = this.inTraceback || !ONE_LINE_LEVELS.has(r.level) || /^[ \t]/.test(text);
    if (!expected)
      (this.openDiagnostics ??= []).push(
        diagnostic('fail2ban-log/stray-line', 'warning', `line without a log header after a one-line ${r.level} record (line ${r.line}): kept as the continuation of that record`, { line, column: 1, endColumn: text.length + 1 }, this.file),
      );
    if (r.continuation.length < this.maxContinuation) r.continuation.push(text);
    else r.truncated = true;
    r.endLine = line;
  }

  /** Emits the record still open (call at the end of the input). */
  flush(emit: EntrySink): void {
    if (this.open) {
      const r = this.open;
      const ds = this.openDiagnostics;
      this.open = null;
      this.openDiagnostics = undefined;
      emit(r, ds);
    }
  }
}
