/** Diagnostics beyond syntax: captures fail2ban cannot use. */
import { isIP } from 'node:net';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { CheckOptions } from '../core/format.js';
import { stripEol } from '../core/text.js';
import type { CaptureLog } from './document.js';
import type { Entry } from './model.js';

/**
 * Checks one entry against the text of its line (without the ending):
 * - `thpot/empty-source` (warning): `SRC=` is empty — thpot found no peer (an IPv4-mapped IPv6 peer,
 *   a failed `netstat | grep`, no netstat); fail2ban's `SRC=<HOST>` cannot ban it.
 * - `thpot/mangled-source` (warning): SRC is not an address — netstat's `addr:port` split at its
 *   first `:` (an IPv6 peer gives `SRC=2001 SPT=db8`).
 */
export function checkEntry(entry: Entry, text: string, file?: string): Diagnostic[] {
  if (entry.kind !== 'capture' && entry.kind !== 'start') return [];
  const key = entry.kind === 'capture' ? ' SRC=' : ' source ';
  const at = text.indexOf(key, entry.timestamp.length);
  const column = at < 0 ? 1 : at + key.length + 1;
  const value = entry.kind === 'capture' ? entry.src : entry.source;
  const range = { line: entry.line, column, endColumn: column + value.length };
  if (entry.src === '')
    return [
      diagnostic(
        'thpot/empty-source',
        'warning',
        `${entry.kind === 'capture' ? 'SRC' : 'source'} is empty: thpot could not find the peer (IPv4-mapped IPv6 peer, netstat missing or its output not matched); fail2ban's SRC=<HOST> cannot ban it`,
        range,
        file,
      ),
    ];
  if (isIP(entry.src) === 0)
    return [
      diagnostic(
        'thpot/mangled-source',
        'warning',
        `${entry.kind === 'capture' ? 'SRC' : 'source'} '${entry.src}' is not an IP address: thpot splits netstat's 'address:port' at the first ':', which breaks IPv6 peers`,
        range,
        file,
      ),
    ];
  return [];
}

/** Every diagnostic: the parse's plus `checkEntry` on each line, in line order. */
export function check(doc: CaptureLog, _options: CheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...doc.diagnostics];
  const entries = doc.entries();
  for (const e of entries) {
    if (e.kind !== 'capture' && e.kind !== 'start') continue;
    out.push(...checkEntry(e, stripEol(doc.raw(e.line) ?? ''), doc.file));
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
