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
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Entry, StreamEntry } from './model.js';
import { LineClassifier } from './scan.js';
import { Summary } from './summary.js';

/** A file path, or anything that yields the log's bytes or text in chunks (a Node Readable, …). */
export type LogSource = string | URL | AsyncIterable<Uint8Array | string>;

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
  if (typeof source === 'string' || source instanceof URL)
    return createReadStream(source, { highWaterMark: options.highWaterMark ?? 256 * 1024 });
  if (source && typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') return source;
  throw new TypeError('thpot.records expects a file path, a URL or an async iterable of chunks (a Node Readable)');
}

/**
 * The entries of a log, one array per chunk read: the fast way to consume a big log (no per-line
 * promise). Each entry carries its diagnostics, if any.
 */
export async function* recordBatches(source: LogSource, options: StreamOptions = {}): AsyncGenerator<StreamEntry[], void, undefined> {
  const file = options.file ?? (typeof source === 'string' ? source : source instanceof URL ? source.pathname : undefined);
  const max = options.maxLineLength ?? 1024 * 1024;
  const classifier = new LineClassifier(file);
  const decoder = new StringDecoder('utf8');
  let batch: StreamEntry[] = [];
  const emit = (e: Entry, ds: Diagnostic[] | undefined) => {
    if (ds) (e as StreamEntry).diagnostics = ds;
    batch.push(e);
  };
  let carry = '';
  let line = 0;
  /** The current line is too long: its beginning is kept in `carry`, the rest is skipped until `\n`. */
  let overlong = false;

  const finishOverlong = () => {
    line++;
    const text = carry;
    carry = '';
    overlong = false;
    // Feed the classifier a line it cannot mistake for a capture, then record the real beginning.
    classifier.push('\u0000', line, (e, ds) => {
      if (e.line !== line) return emit(e, ds);
      const entry: StreamEntry = { kind: 'invalid', line: e.line, text, truncated: true };
      if (ds) entry.diagnostics = ds.map((d) => ({ ...d, message: `line longer than ${max} characters: not a capture line`, column: 1, endColumn: 1 }));
      batch.push(entry);
    });
  };

  for await (const chunk of chunksOf(source, options)) {
    const s = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    if (s.length === 0) continue;
    let start = 0;
    let text = s;
    if (carry.length > 0 && !overlong) {
      text = carry + s;
      carry = '';
    }
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (overlong) {
        finishOverlong();
        start = nl + 1;
        continue;
      }
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      line++;
      classifier.pushAt(text, start, end, line, emit);
      start = nl + 1;
    }
    if (!overlong) {
      carry = start === 0 ? text : text.slice(start);
      if (carry.length > max) {
        carry = carry.slice(0, max);
        overlong = true;
      }
    }
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  const rest = decoder.end();
  if (rest && !overlong) carry += rest;
  if (overlong) finishOverlong();
  else if (carry.length > 0) {
    line++;
    classifier.push(carry, line, emit);
    carry = '';
  }
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

/** Summarises a log as it streams; `onDiagnostic` sees each line's diagnostics as they come. */
export async function summarize(
  source: LogSource,
  options: StreamOptions & { onDiagnostic?: (d: Diagnostic) => void } = {},
): Promise<Summary> {
  const summary = new Summary();
  const on = options.onDiagnostic;
  for await (const batch of recordBatches(source, options))
    for (const e of batch) {
      summary.add(e);
      if (on && e.diagnostics) for (const d of e.diagnostics) on(d);
    }
  return summary;
}
