/**
 * Streaming: a fail2ban.log of any size, a chunk at a time. Memory stays flat: one chunk, the
 * unfinished line at its end and the open record (at most `maxContinuation` continuation lines, each
 * at most `maxLineLength`); nothing is kept once yielded. The entries equal those of `parse()` on the
 * whole text (except for what the bounds cut).
 */
import { StringDecoder } from 'node:string_decoder';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Entry } from './model.js';
import { RecordReader } from './scan.js';
import { LogSummary } from './summary.js';
import { logSourceName, openLogSource, type LogSource } from '../core/log-source.js';

export type { LogSource } from '../core/log-source.js';

/** Options of the fail2ban.log streams (`entries`, `summarizeLog`). */
export interface LogStreamOptions {
  /** File name for diagnostics (default: the path, when the source is one). */
  file?: string;
  /** Called with each diagnostic, in line order. */
  onDiagnostic?: (d: Diagnostic) => void;
  /** A line longer than this (UTF-16 units) keeps only its beginning. Default 1 MiB. */
  maxLineLength?: number;
  /** Continuation lines kept per record. Default 10,000. */
  maxContinuation?: number;
}

/** The log's lines, without their endings, as sliced strings of the chunk they came in. */
async function* lines(source: LogSource, maxLineLength: number): AsyncGenerator<string[]> {
  const input = openLogSource(source, 256 * 1024, 'fail2banLog.entries');
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let skipping = false; // inside a line already cut at maxLineLength
  const batch = (s: string, final: boolean): string[] => {
    const out: string[] = [];
    let start = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
      if (skipping) skipping = false;
      else {
        const end = nl > start && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        out.push(end - start > maxLineLength ? s.slice(start, start + maxLineLength) : s.slice(start, end));
      }
      start = nl + 1;
    }
    carry = s.slice(start);
    if (final) {
      if (carry !== '' && !skipping) out.push(carry.length > maxLineLength ? carry.slice(0, maxLineLength) : carry);
      carry = '';
    } else if (carry.length > maxLineLength) {
      if (!skipping) out.push(carry.slice(0, maxLineLength));
      skipping = true;
      carry = '';
    }
    return out;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    const b = batch(carry + text, false);
    if (b.length) yield b;
  }
  const b = batch(carry + decoder.end(), true);
  if (b.length) yield b;
}

/** Every entry of the log, in order. */
export async function* entries(source: LogSource, options: LogStreamOptions = {}): AsyncGenerator<Entry> {
  const file = options.file ?? logSourceName(source);
  const reader = new RecordReader(file, options.maxContinuation ?? 10_000);
  const ready: Entry[] = [];
  const emit = (e: Entry, ds: Diagnostic[] | undefined) => {
    ready.push(e);
    if (ds && options.onDiagnostic) for (const d of ds) options.onDiagnostic(d);
  };
  let line = 0;
  for await (const batch of lines(source, options.maxLineLength ?? 1 << 20)) {
    for (const l of batch) reader.push(l, ++line, emit);
    if (ready.length) yield* ready.splice(0);
  }
  reader.flush(emit);
  yield* ready.splice(0);
}

/** The summary of a log, read as a stream. */
export async function summarizeLog(source: LogSource, options: LogStreamOptions = {}): Promise<LogSummary> {
  const s = new LogSummary();
  const file = options.file ?? logSourceName(source);
  const reader = new RecordReader(file, 0);
  const emit = (e: Entry, ds: Diagnostic[] | undefined) => {
    s.add(e);
    if (ds && options.onDiagnostic) for (const d of ds) options.onDiagnostic(d);
  };
  let line = 0;
  for await (const batch of lines(source, options.maxLineLength ?? 1 << 20)) {
    for (const l of batch) reader.push(l, ++line, emit);
    s.settle();
  }
  reader.flush(emit);
  s.settle();
  return s;
}
