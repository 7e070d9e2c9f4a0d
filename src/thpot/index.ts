/**
 * tinyhoneypot capture logs (`/var/log/thpot/captures`): lossless parse, typed records, streaming
 * for logs of any size, the summary `fwconf thpot summary` prints, and the locale check (a date
 * written under another LC_TIME, which fail2ban cannot read).
 */
import type { Format } from '../core/format.js';
import { detector } from '../core/detect.js';
import { check } from './check.js';
import type { CaptureLog } from './document.js';
import { parse } from './parse.js';
import { render, type CaptureInput } from './render.js';
import type { SummaryJSON } from './summary.js';

export { parse } from './parse.js';
export { check } from './check.js';
export { CaptureLog, type LogNode } from './document.js';
export { render, type CaptureInput } from './render.js';
export { records, recordBatches, summarize, type LogSource, type StreamOptions } from './stream.js';
export { Summary, type SummaryJSON } from './summary.js';
export type { TextBytes } from './counter.js';
export type { MonthInfo } from '../core/months.js';
export type { FailregexHost, Fail2banDate, DatedFields } from './fail2ban.js';
export type * from './model.js';
export { isSession } from './model.js';
export type { ThpotCode } from './codes.js';
/** The line writers, month names and fail2ban's reading of a line the Document is built from. */
export * as syntax from './syntax.js';

/** `SID=<hex>… PID=<n> SRC=` on a line, or the multi layout's `start thp SID`. */
const CONTENT = /(?:^|\n)[^\n]{1,40} SID=[0-9A-F]+\S* PID=[0-9]+ SRC=|(?:^|\n)[^\n]{1,40} start thp SID [0-9A-F]+/;

/** The thpot capture-log format: parse, check, render, semantics and detection (by name, and by capture lines). */
export const format: Format<CaptureLog, readonly CaptureInput[], SummaryJSON, { eol?: '\n' | '\r\n' }> = {
  name: 'thpot',
  parse,
  check,
  detect: detector({ name: (_path, base) => /^captures(?:\.\d+)?(?:\.log)?$/.test(base), content: (head) => CONTENT.test(head) }),
  render: (records, options) => render(records, options),
  semanticsVerb: 'summary',
  /** What `fwconf thpot summary` prints: captures per address, port and day. */
  semantics: (doc) => doc.summary(),
};
