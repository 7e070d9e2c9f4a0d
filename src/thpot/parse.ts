/** text → CaptureLog. Never throws on bad input: a line of neither layout is an `invalid` entry plus a diagnostic. */
import { dominantEol, splitLines } from '../core/text.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ParseOptions } from '../core/format.js';
import { CaptureLog, type LogNode } from './document.js';
import { LineClassifier } from './scan.js';

/**
 * @example
 * ```ts
 * import { parse } from 'fwconf/thpot';
 * const log = parse('Feb 29 13:02:10 SID=56D4334221165.nullresp PID=4837 SRC=192.168.88.242 SPT=47187 ET=00:00:11 BYTES=39\n');
 * log.records().length; // 1
 * log.summary().sources; // { '192.168.88.242': 1 }
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): CaptureLog {
  if (typeof text !== 'string') throw new TypeError(`thpot.parse expects the log's text as a string, got ${typeof text}`);
  const lines = splitLines(text);
  const nodes: LogNode[] = new Array(lines.length);
  const diagnostics: Diagnostic[] = [];
  const classifier = new LineClassifier(options.file);
  let pending = 0;
  const emit: Parameters<LineClassifier['push']>[2] = (entry, ds) => {
    const l = lines[entry.line - 1]!;
    nodes[entry.line - 1] = { raw: text.slice(l.start, l.next), entry };
    pending++;
    if (ds) diagnostics.push(...ds);
  };
  for (const l of lines) classifier.pushAt(text, l.start, l.end, l.index + 1, emit);
  classifier.end(emit);
  if (pending !== lines.length) throw new Error(`thpot: internal error: ${lines.length} lines, ${pending} entries`);
  return new CaptureLog(nodes, dominantEol(text), diagnostics, options.file);
}
