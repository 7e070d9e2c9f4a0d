/**
 * fail2ban.log (`/var/log/fail2ban.log`, fail2ban-server's logtarget): lossless parse into records
 * (multi-line tracebacks kept with theirs), typed events (jails created, started, stopped; Found, Ban,
 * Restore Ban, Unban, already banned; errors and warnings), streaming for logs of any size, and the
 * summary `fwconf fail2ban log` prints.
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import type { Fail2banLog, RecordInput } from './document.js';
import { render } from './render.js';
import { parse } from './parse.js';
import type { LogSummaryJSON } from './summary.js';

export { parse } from './parse.js';
export { render } from './render.js';
export { check } from './check.js';
export { Fail2banLog, renderRecord, type LogNode, type RecordInput } from './document.js';
export { classify, parseHeader, isHeader, type Header } from './line.js';
export { RecordReader } from './scan.js';
export { entries, summarizeLog, type LogStreamOptions } from './stream.js';
export { LogSummary, type LogSummaryJSON, type JailCounts, type AddressCounts, type HourCounts } from './summary.js';
export * from './model.js';

/** A fail2ban log header at the start of a line: date, time, `fail2ban.` logger. */
const CONTENT = /(?:^|\n)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} fail2ban\.\S* *(?:\[\d+\])?: [A-Z]/;

/** The fail2ban.log format: parse, check, render, semantics and detection (by name, and by fail2ban-server's record headers). */
export const format: Format<Fail2banLog, readonly RecordInput[], LogSummaryJSON, { eol?: '\n' | '\r\n'; file?: string }> = {
  name: 'fail2ban-log',
  parse,
  check,
  detect: detector({ name: (_path, base) => /^fail2ban\.log(?:\.\d+)?$/.test(base), content: (head) => CONTENT.test(head) }),
  /** A fresh log of the records, in fail2ban's layout (logger padded to 24, level to 7). */
  render: (records, options) => render(records, options),
  semanticsVerb: 'summary',
  /** What `fwconf fail2ban log` prints: bans, unbans and failures per jail and address. */
  semantics: (doc) => doc.summary(),
};
