/** Diagnostics of fail2ban.log: the parse's (lines without a header). */
import type { Diagnostic } from '../core/diagnostics.js';
import type { CheckOptions } from '../core/format.js';
import type { Fail2banLog } from './document.js';

/** Every diagnostic of a fail2ban.log: the parse's (lines without a header before any record, over-long lines, ...), in line order. */
export function check(doc: Fail2banLog, _options: CheckOptions = {}): Diagnostic[] {
  return [...doc.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}
