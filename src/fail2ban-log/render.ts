/** Records → a fresh fail2ban.log Document, in fail2ban-server's own layout (what the builder and `Format.render` call). */
import type { Fail2banLog, RecordInput } from './document.js';
import { renderRecord } from './document.js';
import { parse } from './parse.js';

/** A fresh log of one-line records, each ending with `eol` (LF by default). */
export function render(records: readonly RecordInput[], options: { eol?: '\n' | '\r\n'; file?: string } = {}): Fail2banLog {
  const eol = options.eol ?? '\n';
  return parse(records.map((r) => renderRecord(r) + eol).join(''), options.file !== undefined ? { file: options.file } : {});
}
