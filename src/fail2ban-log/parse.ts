/** text → Fail2banLog. Never throws on bad input: a line without a header is kept, with a diagnostic. */
import type { Diagnostic } from '../core/diagnostics.js';
import { splitRaw } from '../core/document.js';
import type { ParseOptions } from '../core/format.js';
import { dominantEol, stripEol } from '../core/text.js';
import { Fail2banLog, type LogNode } from './document.js';
import type { Entry } from './model.js';
import { RecordReader } from './scan.js';

/**
 * @example
 * ```ts
 * import { fail2banLog } from 'fwconf';
 * const log = fail2banLog.parse('2024-05-01 10:00:00,123 fail2ban.actions        [812]: NOTICE  [sshd] Ban 203.0.113.9\n');
 * log.records()[0]?.level; // 'NOTICE'
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): Fail2banLog {
  if (typeof text !== 'string') throw new TypeError(`fail2ban-log.parse expects the log's text as a string, got ${typeof text}`);
  // fail2ban writes `\n`; a `\r` before it is part of the ending (posix policy).
  const raws = splitRaw(text, 'posix');
  const nodes: LogNode[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new RecordReader(options.file);
  let start = 0; // index in raws of the first line of the next entry
  const emit = (entry: Entry, ds: Diagnostic[] | undefined) => {
    const end = entry.kind === 'record' ? entry.endLine : entry.line;
    nodes.push({ raw: raws.slice(start, end).join(''), entry });
    start = end;
    if (ds) diagnostics.push(...ds);
  };
  for (let i = 0; i < raws.length; i++) reader.push(stripEol(raws[i]!), i + 1, emit);
  reader.flush(emit);
  return new Fail2banLog(nodes, dominantEol(text), diagnostics, options.file);
}
