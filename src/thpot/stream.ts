/**
 * Streaming: a capture log of any size, read a chunk at a time. Memory stays constant: one chunk,
 * the unfinished line at its end, and one line of look-ahead; nothing is kept once yielded.
 *
 *   for await (const e of records('/var/log/thpot/captures')) if (e.kind === 'capture') …
 *
 * Lines end at `\n`; a `\r` before it belongs to the ending; a last line without an ending is still
 * a line. Byte chunks are decoded as UTF-8 with a streaming decoder, so a character split between
 * chunks is decoded whole. The entries and diagnostics equal those of `parse()` on the whole text.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Entry, StreamEntry } from './model.js';
import { scanCaptureBytes } from './bytes.js';
import { LineClassifier, scanCaptureFields } from './scan.js';
import { Summary } from './summary.js';
import { logSourceName, openLogSource, type LogSource } from '../core/log-source.js';

/** A file path, or anything that yields the log's bytes or text in chunks (a Node Readable, …). */
export type { LogSource } from '../core/log-source.js';

/** Options of the capture-log streams (`records`, `recordBatches`, `summarize`). */
export interface StreamOptions {
  /** File name for diagnostics (default: the path, when the source is one). */
  file?: string;
  /**
   * A line longer than this (UTF-16 units) cannot be a capture: it is yielded as an `invalid` entry
   * holding only its beginning (`truncated: true`), so memory stays bounded on any input.
   * Default 1 MiB.
   */
  maxLineLength?: number;
  /** Read size for file paths (default 256 KiB). */
  highWaterMark?: number;
}

function chunksOf(source: LogSource, options: StreamOptions): AsyncIterable<Uint8Array | string> {
  return openLogSource(source, options.highWaterMark ?? 256 * 1024, 'thpot.records');
}

/** Called once per line: `text.slice(start, end)` is the line (without its ending), `line` its 1-based number. */
type OnLine = (text: string, start: number, end: number, line: number) => void;
/** Called for a line longer than the limit: `text` is its beginning. */
type OnOverlong = (text: string, line: number) => void;

/**
 * Cuts decoded text, fed a chunk at a time, into lines: each line is handed over as a range of the
 * chunk (joined with the unfinished line before it), so no line is copied out.
 */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private carry = '';
  private line = 0;
  /** The current line is too long: its beginning is kept in `carry`, the rest is skipped until `\n`. */
  private overlong = false;

  constructor(
    private readonly max: number,
    private readonly onLine: OnLine,
    private readonly onOverlong: OnOverlong,
  ) {}

  /**
   * Splits a chunk. The line begun in an earlier chunk is joined on its own; every other line is a
   * range of the decoded chunk itself, which stays one flat string (joining the whole chunk to the
   * carried text would make every character read go through the join).
   */
  feed(chunk: Uint8Array | string): void {
    const s = typeof chunk === 'string' ? chunk : this.decoder.write(chunk as Buffer);
    if (s.length === 0) return;
    let start = 0;
    if (this.overlong || this.carry.length > 0) {
      const nl = s.indexOf('\n');
      if (nl < 0) {
        if (!this.overlong) this.keep(this.carry + s);
        return;
      }
      if (this.overlong) this.finishOverlong();
      else {
        const text = this.carry + s.slice(0, nl);
        this.carry = '';
        const end = text.charCodeAt(text.length - 1) === 13 ? text.length - 1 : text.length;
        this.onLine(text, 0, end, ++this.line);
      }
      start = nl + 1;
    }
    const onLine = this.onLine;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      onLine(s, start, end, ++this.line);
      start = nl + 1;
    }
    if (start < s.length) this.keep(start === 0 ? s : s.slice(start));
  }

  /** Holds the unfinished last line; past the limit, only its beginning, and the rest is skipped. */
  private keep(text: string): void {
    if (text.length > this.max) {
      this.carry = text.slice(0, this.max);
      this.overlong = true;
    } else this.carry = text;
  }

  /** The last line, when the input does not end with a line ending. */
  end(): void {
    const rest = this.decoder.end();
    if (rest && !this.overlong) this.carry += rest;
    if (this.overlong) this.finishOverlong();
    else if (this.carry.length > 0) {
      const text = this.carry;
      this.carry = '';
      this.onLine(text, 0, text.length, ++this.line);
    }
  }

  private finishOverlong(): void {
    const text = this.carry;
    this.carry = '';
    this.overlong = false;
    this.onOverlong(text, ++this.line);
  }
}

/** Hands an overlong line to the classifier as a line it cannot mistake for a capture, then records its real beginning. */
function pushOverlong(classifier: LineClassifier, max: number, text: string, line: number, emit: (e: Entry, ds: Diagnostic[] | undefined) => void): void {
  classifier.push('\u0000', line, (e, ds) => {
    if (e.line !== line) return emit(e, ds);
    const entry: StreamEntry = { kind: 'invalid', line: e.line, text, truncated: true };
    if (ds) entry.diagnostics = ds.map((d) => ({ ...d, message: `line longer than ${max} characters: not a capture line`, column: 1, endColumn: 1 }));
    emit(entry, entry.diagnostics);
  });
}

function fileOf(source: LogSource, options: StreamOptions): string | undefined {
  return options.file ?? logSourceName(source);
}

/**
 * The entries of a log, one array per chunk read: the fast way to consume a big log (no per-line
 * promise). Each entry carries its diagnostics, if any.
 */
export async function* recordBatches(source: LogSource, options: StreamOptions = {}): AsyncGenerator<StreamEntry[], void, undefined> {
  const max = options.maxLineLength ?? 1024 * 1024;
  const classifier = new LineClassifier(fileOf(source, options));
  let batch: StreamEntry[] = [];
  const emit = (e: Entry, ds: Diagnostic[] | undefined) => {
    if (ds) (e as StreamEntry).diagnostics = ds;
    batch.push(e);
  };
  const splitter = new LineSplitter(
    max,
    (text, start, end, line) => classifier.pushAt(text, start, end, line, emit),
    (text, line) => pushOverlong(classifier, max, text, line, emit),
  );
  for await (const chunk of chunksOf(source, options)) {
    splitter.feed(chunk);
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  splitter.end();
  classifier.end(emit);
  if (batch.length > 0) yield batch;
}

/**
 * Every line of a log as an entry — records and invalid lines, with their 1-based line numbers and
 * diagnostics — in constant memory: `for await (const e of records(stream))`.
 */
export async function* records(source: LogSource, options: StreamOptions = {}): AsyncGenerator<StreamEntry, void, undefined> {
  for await (const batch of recordBatches(source, options)) yield* batch;
}

/**
 * The summary's reader for a log that comes as bytes: lines are cut at `\n` bytes, a C-locale capture
 * is counted from its bytes (`scanCaptureBytes`) without decoding, and any other line is decoded on
 * its own and handed to the classifier. A line's bytes decode on their own exactly as they do in the
 * whole text (UTF-8 has no `\n` inside a character, and a character cut short by one is replaced
 * there either way), so this reads what `LineSplitter` reads.
 */
class ByteSummarizer {
  private carry: Buffer | null = null;
  private line = 0;
  /** The current line is too long: `overlongText` holds its beginning, the rest is skipped until `\n`. */
  private overlong = false;
  private overlongText = '';

  constructor(
    private readonly max: number,
    private readonly classifier: LineClassifier,
    private readonly summary: Summary,
    private readonly emit: (e: Entry, ds: Diagnostic[] | undefined) => void,
  ) {}

  feed(chunk: Uint8Array | string): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (b.length === 0) return;
    let start = 0;
    if (this.overlong || this.carry !== null) {
      const nl = b.indexOf(10);
      if (nl < 0) {
        if (!this.overlong) this.keep(Buffer.concat([this.carry!, b]));
        return;
      }
      if (this.overlong) this.finishOverlong();
      else {
        const joined = Buffer.concat([this.carry!, b.subarray(0, nl)]);
        this.carry = null;
        this.lineAt(joined, 0, joined.length > 0 && joined[joined.length - 1] === 13 ? joined.length - 1 : joined.length);
      }
      start = nl + 1;
    }
    for (;;) {
      const nl = b.indexOf(10, start);
      if (nl < 0) break;
      this.lineAt(b, start, nl > start && b[nl - 1] === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    if (start < b.length) this.keep(b.subarray(start));
    this.summary.settle();
  }

  end(): void {
    if (this.overlong) this.finishOverlong();
    else if (this.carry !== null) {
      const text = this.carry.toString('utf8');
      this.carry = null;
      this.classifier.push(text, ++this.line, this.emit);
    }
    this.summary.settle();
  }

  private lineAt(b: Buffer, start: number, end: number): void {
    const line = ++this.line;
    if (!this.classifier.holding && scanCaptureBytes(b, start, end)) this.summary.addCaptureBytes(b, start);
    else this.classifier.push(b.toString('utf8', start, end), line, this.emit);
  }

  /**
   * Holds the unfinished last line. Past the limit (in UTF-16 units of the characters complete so
   * far, as the text reader counts them), only its beginning is kept and the rest is skipped.
   */
  private keep(bytes: Buffer): void {
    // Never more units than bytes: 1–3 bytes make one unit, 4 bytes two, a stray byte one U+FFFD.
    if (bytes.length > this.max) {
      const text = new StringDecoder('utf8').write(bytes);
      if (text.length > this.max) {
        this.carry = null;
        this.overlong = true;
        this.overlongText = text.slice(0, this.max);
        return;
      }
    }
    // A copy, so that a held line does not keep the whole chunk it came from.
    this.carry = Buffer.from(bytes);
  }

  private finishOverlong(): void {
    const text = this.overlongText;
    this.overlongText = '';
    this.overlong = false;
    pushOverlong(this.classifier, this.max, text, ++this.line, this.emit);
  }
}

/**
 * Summarises a log as it streams; `onDiagnostic` sees each line's diagnostics as they come. The same
 * summary as adding every entry of `records()`, but a C-locale capture is counted straight from the
 * line — from its bytes when the source gives bytes (a file path, a Readable without an encoding),
 * else from the decoded text: no record, no substring per line. Whether the source gives bytes or
 * text is decided by its first chunk.
 */
export async function summarize(
  source: LogSource,
  options: StreamOptions & { onDiagnostic?: (d: Diagnostic) => void } = {},
): Promise<Summary> {
  const max = options.maxLineLength ?? 1024 * 1024;
  const classifier = new LineClassifier(fileOf(source, options));
  const summary = new Summary();
  const on = options.onDiagnostic;
  const emit = (e: Entry, ds: Diagnostic[] | undefined) => {
    summary.add(e);
    if (on && ds) for (const d of ds) on(d);
  };
  let reader: { feed(chunk: Uint8Array | string): void; end(): void } | undefined;
  for await (const chunk of chunksOf(source, options)) {
    reader ??= typeof chunk === 'string' ? textSummarizer(max, classifier, summary, emit) : new ByteSummarizer(max, classifier, summary, emit);
    reader.feed(chunk);
  }
  reader?.end();
  classifier.end(emit);
  summary.settle();
  return summary;
}

/** The summary's reader for a log that comes as text. */
function textSummarizer(max: number, classifier: LineClassifier, summary: Summary, emit: (e: Entry, ds: Diagnostic[] | undefined) => void) {
  const splitter = new LineSplitter(
    max,
    (text, start, end, line) => {
      if (!classifier.holding && scanCaptureFields(text, start, end)) summary.addCaptureAt(text, start);
      else classifier.pushAt(text, start, end, line, emit);
    },
    (text, line) => pushOverlong(classifier, max, text, line, emit),
  );
  return {
    feed(chunk: Uint8Array | string) {
      splitter.feed(chunk);
      summary.settle();
    },
    end() {
      splitter.end();
    },
  };
}
