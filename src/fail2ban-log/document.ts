/**
 * fail2ban.log as a Document: one node per record (its header line and continuation lines, endings
 * included) or unknown line. Logs are appended to, so the one edit is `append`.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { LineDocument } from '../core/document.js';
import type { Entry, Fail2banLogJSON, LogEvent, LogRecord } from './model.js';
import { RecordReader } from './scan.js';
import { LogSummary, type LogSummaryJSON } from './summary.js';

/** The member of LogEvent whose `type` can be T. */
export type EventOf<T extends LogEvent['type']> = LogEvent extends infer E ? (E extends { type: infer U } ? (T extends U ? E : never) : never) : never;

/** One line of the log: its exact text (line ending included) and the entry it is part of. */
export interface LogNode {
  readonly raw: string;
  entry: Entry;
}

/** What `append` writes: fail2ban 1.0's layout. */
export interface RecordInput {
  /** `YYYY-MM-DD HH:MM:SS,mmm`. */
  timestamp: string;
  logger: string;
  pid: number;
  level: string;
  message: string;
}

/** One record line as fail2ban-server writes it (`%(name)-24s[%(process)d]: %(levelname)-7s %(message)s`). */
export function renderRecord(r: RecordInput): string {
  return `${r.timestamp} ${r.logger.padEnd(24)}[${r.pid}]: ${r.level.padEnd(7)} ${r.message}`;
}

/**
 * @example
 * ```ts
 * import { fail2banLog } from 'fwconf';
 * const log = fail2banLog.parse('');
 * log.append({ timestamp: '2024-05-01 10:00:00,123', logger: 'fail2ban.actions', pid: 812, level: 'NOTICE', message: '[sshd] Ban 203.0.113.9' });
 * log.toString(); // '2024-05-01 10:00:00,123 fail2ban.actions        [812]: NOTICE  [sshd] Ban 203.0.113.9\n'
 * ```
 */
export class Fail2banLog extends LineDocument<LogNode> {
  /** @internal use `parse()`. */
  constructor(nodes: LogNode[], eol: '\n' | '\r\n', diagnostics: readonly Diagnostic[], file?: string) {
    super({ nodes, eol, diagnostics, file });
  }

  /** Every entry, in order: records, and lines that are not part of one. */
  entries(): Entry[] {
    return this.nodes.map((n) => n.entry);
  }

  /** The records (a header line and its continuation lines), in order. */
  records(): LogRecord[] {
    const out: LogRecord[] = [];
    for (const n of this.nodes) if (n.entry.kind === 'record') out.push(n.entry);
    return out;
  }

  /** The events of a type (or all), each with its record. */
  events<T extends LogEvent['type']>(type?: T): (LogRecord & { event: EventOf<T> })[] {
    return this.records().filter((r) => type === undefined || r.event.type === type) as never;
  }

  /** What `fwconf fail2ban log` prints of the log: counts per jail, address and hour. */
  summary(): LogSummaryJSON {
    const s = new LogSummary();
    for (const n of this.nodes) s.add(n.entry);
    return s.toJSON();
  }

  /** Appends one record line in fail2ban's layout, with the file's line ending. Returns its entry. */
  append(input: RecordInput): LogRecord {
    const text = renderRecord(input);
    if (/[\r\n]/.test(text)) throw new TypeError('append writes one line: no line breaks in the message');
    let entry: Entry | undefined;
    const reader = new RecordReader(this.file);
    const sink = (e: Entry) => {
      entry = e;
    };
    reader.push(text, this.nodes.length === 0 ? 1 : this.lineOf(this.nodes[this.nodes.length - 1]!) + lineSpan(this.nodes[this.nodes.length - 1]!.raw), sink);
    reader.flush(sink);
    if (!entry || entry.kind !== 'record') throw new TypeError(`not a fail2ban log record: ${JSON.stringify(text)}`);
    const last = this.nodes[this.nodes.length - 1];
    if (last && !last.raw.endsWith('\n')) this.setRaw(last, last.raw + this.eol);
    this.insertAt(this.nodes.length, { raw: text + this.eol, entry });
    return entry;
  }

  toJSON(): Fail2banLogJSON {
    return { entries: this.entries() };
  }
}

/** Lines a raw slice spans (a last line without an ending counts). */
function lineSpan(raw: string): number {
  let n = 0;
  for (let i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) n++;
  return raw.endsWith('\n') ? n : n + 1;
}
